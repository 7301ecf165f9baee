"""Scoring a file into another: :func:`score_file`, what ``netral score`` runs.

The input streams chunk by chunk (``chunk_size`` rows, default 2,000) through a reader of its
format (:mod:`.io`), :func:`~netral_nlp.batch.rows.score_chunk` and a writer, so memory stays
flat however large the file is; one output row per input row, always (see :mod:`.rows` for the
columns and the errors). Output is written to a partial file committed atomically, with a state
file after each chunk, so an interrupted run can be resumed (:mod:`.resume`). Blank lines in CSV
and JSONL are not rows (as in ``pandas.read_csv``).
"""
from __future__ import annotations

import os
import shutil
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import UsageError
from ..i18n import language, msg
from .columns import nearest_column, obvious_column
from .io import READERS, TEXT_FORMATS, WRITERS, detect_format
from .io.encoding import detect, given
from .io.xlsx import OutputTooLarge, check_rows
from .options import RESULT_COLUMNS, ROW_COLUMN, ScoreOptions
from .resume import fingerprint, load_state, partial_paths, write_json_atomic
from .rows import MISSING, READ_ERROR, one_line, score_chunk


@dataclass
class ScoreSummary:
    """What :func:`score_file` did."""

    rows: int
    partisan: int
    errors: int
    elapsed: float
    output: Path
    resumed_rows: int = 0  # rows taken over from an interrupted run
    report: Path | None = None
    scoring_seconds: float = 0.0  # time spent reading, scoring and writing (no model loading)
    encoding: str | None = None  # how a text input was decoded: "cp1252 (detected)", "utf-16 (BOM)" ...
    text_column: str | None = None  # the column the texts were read from
    text_column_chosen: bool = False  # picked because there was no "text" column (batch.columns)
    undecodable: int = 0  # rows with an "undecodable bytes" error

    @property
    def rows_per_second(self) -> float:
        return (self.rows - self.resumed_rows) / self.scoring_seconds if self.scoring_seconds > 0 else 0.0


def _guarded(chunks: Iterator, path: Path) -> Iterator:
    """Reading errors in the middle of a file (truncated gzip, I/O error) are input-file errors."""
    try:
        import pyarrow as pa

        arrow_errors: tuple = (pa.ArrowException,)
    except ImportError:  # pragma: no cover
        arrow_errors = ()
    while True:
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        except (OSError, EOFError, zlib.error, UnicodeError, *arrow_errors) as err:
            raise UsageError(f"{path}: cannot read input: {one_line(err)}") from err
        yield chunk


def _check_paths(in_path: Path, out_path: Path, report: Path | None, sheet=None) -> tuple[str, bool, str]:
    if not in_path.is_file():
        raise UsageError(msg("err.no_input", path=in_path))
    in_fmt, gz = detect_format(in_path)
    if sheet is not None and in_fmt != "xlsx":
        raise UsageError(msg("err.sheet_not_xlsx"))
    out_fmt, out_gz = detect_format(out_path)
    if out_gz:
        raise UsageError(f"{out_path}: compressed output is not supported; write .csv, .jsonl, .parquet or .xlsx")
    if out_path.resolve() == in_path.resolve():
        raise UsageError("the output file must not be the input file")
    if not out_path.parent.is_dir():
        raise UsageError(f"{out_path.parent}: the output directory does not exist")
    if report is not None and not report.parent.is_dir():
        raise UsageError(f"{report.parent}: the report directory does not exist")
    return in_fmt, gz, out_fmt


def _nearest(column: str, columns: list[str]) -> str:
    near = nearest_column(column, columns)
    return msg("err.nearest", column=near) if near is not None else ""


def _text_column(reader, opts: ScoreOptions) -> tuple[str, bool]:
    """The text column to read and whether it was picked for the user (no ``--text-column``, no
    ``text`` column, an obvious one instead)."""
    if opts.text_column is not None:
        return opts.text_column, False
    columns = reader.columns if reader.columns is not None else getattr(reader, "keys", lambda: None)()
    if not columns or "text" in columns:
        return "text", False
    chosen = obvious_column(columns)
    return (chosen, True) if chosen is not None else ("text", False)


def _check_columns(reader, opts: ScoreOptions, in_path: Path) -> None:
    """The text and id columns exist (formats with a header or schema)."""
    if reader.columns is None:
        return
    if opts.text_column not in reader.columns:
        raise UsageError(msg("err.no_column", path=in_path, column=opts.text_column,
                             columns=", ".join(reader.columns), nearest=_nearest(opts.text_column, reader.columns)))
    if opts.id_column is not None and opts.id_column not in reader.columns:
        raise UsageError(msg("err.no_id_column", path=in_path, column=opts.id_column,
                             columns=", ".join(reader.columns)))


def _key_column(reader, first, opts: ScoreOptions, in_path: Path) -> str | None:
    """The id column of the output (None: a ``row`` column)."""
    text_column, id_column, id_name = opts.text_column, opts.id_column, opts.id_column or "id"
    if reader.columns is None and first is not None:  # JSONL: look at the first chunk
        ok = first[READ_ERROR].isna()
        if ok.any() and all(t is MISSING for t in first.loc[ok, text_column]):
            keys = reader.keys()
            raise UsageError(f"{in_path}: no line in the first {len(first):,} rows has a {text_column!r} key "
                             f"(keys: {', '.join(keys)}){_nearest(text_column, keys)}; use --text-column")
    if id_column is not None:
        key = id_column
    elif reader.columns is not None:
        key = id_name if id_name in reader.columns else None
    else:
        key = id_name if first is not None and first[id_name].notna().any() else None
    if key in RESULT_COLUMNS:
        raise UsageError(f"the id column cannot be called {key!r}: it is an output column")
    return key


def score_file(input: str | os.PathLike, output: str | os.PathLike, options: ScoreOptions | None = None, *,
               classifier=None, resume: bool = False, report: str | os.PathLike | None = None,
               report_top: int = 20, progress: bool = True, **settings) -> ScoreSummary:
    """Score a CSV, TSV, JSONL, Parquet or Excel file into another, chunk by chunk (what ``netral score`` runs).

    ``options`` (or keywords: the fields of :class:`~netral_nlp.batch.options.ScoreOptions` and
    :class:`~netral_nlp.batch.options.ModelSpec`) say what to read and which model to load;
    ``classifier`` replaces the model. ``id_column=None`` uses ``id`` when the input has it,
    otherwise a ``row`` column; a named ``id_column`` must exist (CSV, Parquet). ``resume``
    continues an interrupted run; ``report`` also writes an HTML report of the ``report_top``
    most partisan texts and the aggregates. ``sheet`` picks the sheet of an ``.xlsx`` input;
    ``lang`` (``id`` or ``en``) the language of the report and the messages. ``encoding`` names the
    codec of CSV/TSV/JSONL input (default: detected, :mod:`~netral_nlp.batch.io.encoding`);
    ``text_column=None`` reads ``text``, else an obvious column (:mod:`~netral_nlp.batch.columns`).
    The summary says which encoding and column were used.
    """
    try:
        opts = ScoreOptions.build(options, **settings)
        if report_top < 0:
            raise ValueError("report top must be >= 0")
    except ValueError as err:
        raise UsageError(str(err)) from None
    with language(opts.lang):
        return _score_file(Path(input), Path(output), opts, classifier, resume,
                           None if report is None else Path(report), report_top, progress)


def _score_file(in_path: Path, out_path: Path, opts: ScoreOptions, classifier, resume: bool, report: Path | None,
                report_top: int, progress: bool) -> ScoreSummary:
    from ..render.report import ReportBuilder

    started = time.time()
    in_fmt, gz, out_fmt = _check_paths(in_path, out_path, report, opts.sheet)
    extra: dict = {"sheet": opts.sheet} if in_fmt == "xlsx" else {}
    if in_fmt in TEXT_FORMATS:
        extra["decoding"] = given(opts.encoding) if opts.encoding else detect(in_path, gz)
    elif opts.encoding is not None:
        raise UsageError("--encoding applies to CSV, TSV and JSONL input only")
    reader = READERS[in_fmt](in_path, gz, opts.text_column or "text", opts.id_column or "id", opts.chunk_size,
                             **extra)
    writer = None
    try:
        text_column, chosen = _text_column(reader, opts)
        reader.text_column = text_column
        opts = replace(opts, text_column=text_column)
        _check_columns(reader, opts, in_path)
        if out_fmt == "xlsx":
            check_rows(out_path, reader.total)
        chunks = _guarded(reader.chunks(), in_path)
        first = next(chunks, None)
        key = _key_column(reader, first, opts, in_path)
        expected = fingerprint(in_path, out_path, opts, key, out_fmt, classifier)
        partial, state_path = partial_paths(out_path)
        state = load_state(state_path, expected) if resume else None

        opts.model.apply_threads()
        if classifier is None:
            classifier = opts.model.load()
        threshold = classifier.threshold if opts.threshold is None else opts.threshold

        committed = state["rows"] if state else 0
        builder = ReportBuilder.from_state(state["report"]) if state else ReportBuilder(top_n=report_top)
        counts = dict(state["counts"]) if state else {"partisan": 0, "errors": 0}
        writer = WRITERS[out_fmt](partial, [key or ROW_COLUMN, *RESULT_COLUMNS],
                                  state["position"] if state else None, id_type=reader.id_type)

        def save_state(rows: int) -> None:
            write_json_atomic(state_path, {"fingerprint": expected, "rows": rows, "position": writer.commit(),
                                           "counts": counts, "report": builder.to_state()})

        if not state:
            save_state(0)
        from tqdm.auto import tqdm

        bar = tqdm(total=reader.total, initial=committed, unit=" rows", desc=msg("cli.progress"),
                   disable=not progress,
                   file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
        scoring_started = time.time()
        chunk_opts = ScoreOptions.build(opts, id_column=key)
        offset = 0
        stream = chunks if first is None else _chain(first, chunks)
        try:
            for chunk in stream:
                n = len(chunk)
                if offset + n <= committed:  # already in the partial output (chunk_size is in the fingerprint)
                    offset += n
                    continue
                scored = score_chunk(chunk, classifier, chunk_opts, row_offset=offset)
                writer.write(scored)
                builder.add(scored, chunk[opts.text_column].tolist())
                counts["partisan"] += int((scored["label"] == "partisan").sum())
                counts["errors"] += int(scored["error"].notna().sum())
                counts["undecodable"] = counts.get("undecodable", 0) + sum(
                    isinstance(e, str) and e.startswith("undecodable") for e in scored["error"])
                offset += n
                save_state(offset)
                bar.update(n)
        except OutputTooLarge:
            bar.close()
            writer.close()
            writer = None
            if partial.is_dir():
                shutil.rmtree(partial)
            else:
                partial.unlink(missing_ok=True)
            state_path.unlink(missing_ok=True)
            raise
        except KeyboardInterrupt:
            bar.close()
            print(f"netral: {msg('cli.interrupted', n=f'{offset:,}')}", file=sys.stderr)
            raise
        bar.close()
        scoring_seconds = time.time() - scoring_started
        total_rows = max(offset, committed)
        writer.finalize(out_path)
        writer = None
        state_path.unlink(missing_ok=True)
        if report is not None:
            meta = {"input": in_path.name, "output": out_path.name, "model": getattr(classifier, "name", ""),
                    "threshold": threshold}
            builder.write(report, meta=meta)
    finally:
        reader.close()
        if writer is not None:
            writer.close()
    decoding = extra.get("decoding")
    return ScoreSummary(rows=total_rows, partisan=counts["partisan"], errors=counts["errors"],
                        elapsed=time.time() - started, output=out_path, resumed_rows=committed,
                        report=report, scoring_seconds=scoring_seconds,
                        encoding=decoding.describe() if decoding is not None else None, text_column=text_column,
                        text_column_chosen=chosen, undecodable=counts.get("undecodable", 0))


def _chain(first, rest):
    yield first
    yield from rest
