"""Batch scoring at file scale: ``netral score`` and its Python twin :func:`score_frame`.

Both go through ONE function, :func:`score_chunk`, which scores a pandas DataFrame of rows and
returns one output row per input row, in input order. The command streams the input chunk by
chunk (``--chunk-size`` rows, default 2,000), so memory stays flat however large the file is.

Output columns: the id column (``--id-column``; by default ``id`` when the input has one) or
``row`` (0-based row number) when there is none, then

* ``label``  ``partisan`` | ``neutral`` (null when the row could not be scored),
* ``score``  P(partisan) (null when the row could not be scored),
* ``spans``  a JSON string: a list of ``{start, end, text, category, score}``,
* ``error``  null when the row was scored; otherwise ``"kind: detail"``.

Bad rows never stop a run and never drop a row; each gives an output row with ``error`` set:

=========================  ==========================================================
``empty text``             empty or whitespace-only text: label ``neutral``, score 0,
                           spans ``[]`` (the only error row that carries a label, since
                           an empty post cannot be partisan; it is still reported so the
                           data problem is visible)
``missing text``           null/NaN text, or a JSONL line without the text key
``not a string``           numbers, lists, objects... (JSONL, Parquet, DataFrames)
``undecodable bytes``      invalid UTF-8 in the input (or lone surrogates)
``text too long``          more than ``max_chars`` characters (default 100,000)
``malformed CSV row``      wrong number of fields
``malformed JSON``         a JSONL line that is not valid JSON, or not a JSON object
``model error``            the model failed on this text
=========================  ==========================================================

Blank lines in CSV and JSONL are not rows (as in ``pandas.read_csv``).

Interruption and ``--resume``: output goes to ``OUTPUT.netral-partial`` (a file; for Parquet a
directory of one part file per chunk) and, after each chunk, a sidecar
``OUTPUT.netral-state.json`` records the rows committed, the input's path/size/mtime, the model
and the settings. At the end the output is moved into place with :func:`os.replace` and the
state file is removed. ``--resume`` checks that nothing changed and continues after the last
committed chunk; the final output is identical to an uninterrupted run.

Exit codes of the command: 0 all rows scored, 1 some rows have an ``error`` (the output is still
complete), 2 usage, model or input-file errors.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import gzip
import io
import json
import math
import os
import re
import shutil
import sys
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli import EXIT_OK, EXIT_ROW_ERRORS, UsageError
from .labels import NEUTRAL

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .classifier import NeutralityClassifier

DEFAULT_CHUNK_SIZE = 2000
DEFAULT_MAX_CHARS = 100_000
RESULT_COLUMNS = ("label", "score", "spans", "error")
ROW_COLUMN = "row"
READ_ERROR = "__netral_read_error__"  # reader-level error of a row (malformed CSV/JSON)
STATE_VERSION = 1

ERR_EMPTY = "empty text"
ERR_MISSING = "missing text"

_SURROGATES = re.compile("[\ud800-\udfff]")


class _Missing:
    """A JSONL line without the text key (distinct from an explicit ``null``)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()


class ScoreUsageError(UsageError, ValueError):
    """A usage, model or input-file problem of ``netral score``: exit code 2.

    Also a ValueError, so that the message stays one clean line when the command runs as
    ``python -m netral_nlp.cli`` (``cli`` is then loaded twice, as ``__main__`` and as
    ``netral_nlp.cli``, and ``__main__`` does not know this module's UsageError class).
    """


def _usage_error(msg: str) -> Exception:
    return ScoreUsageError(msg)


# ------------------------------------------------------------------------------------ one chunk
def _is_null(v) -> bool:
    if v is None or v is MISSING:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    try:
        import pandas as pd

        return v is pd.NA or v is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def text_problem(text, max_chars: int = DEFAULT_MAX_CHARS, text_column: str = "text") -> str | None:
    """Why ``text`` cannot be scored (an ``error`` value), or None when it can."""
    if text is MISSING:
        return f"{ERR_MISSING}: no {text_column!r} key"
    if _is_null(text):
        return ERR_MISSING
    if not isinstance(text, str):
        return f"not a string: {type(text).__name__}"
    if _SURROGATES.search(text):
        return "undecodable bytes: the text is not valid UTF-8"
    if not text.strip():
        return ERR_EMPTY
    if max_chars and len(text) > max_chars:
        return f"text too long: {len(text):,} characters (limit {max_chars:,})"
    return None


def spans_json(spans) -> str:
    """Spans as the JSON string written to the ``spans`` column."""
    return json.dumps([{"start": int(s.start), "end": int(s.end), "text": s.text, "category": s.category,
                        "score": round(float(s.score), 6)} for s in spans], ensure_ascii=False)


def _clean_id(v):
    if _is_null(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalar
        with contextlib.suppress(ValueError, TypeError):
            v = v.item()
    if isinstance(v, str) and _SURROGATES.search(v):
        return _SURROGATES.sub("\ufffd", v)
    return v


def _one_line(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}".replace("\n", " ")[:300]


def _predict(clf, texts: list[str], batch_size: int, threshold: float | None) -> list:
    """Predictions for ``texts``; a text the model fails on gets its error message instead."""
    try:
        return list(clf.predict(texts, batch_size=batch_size, threshold=threshold))
    except Exception as err:
        if len(texts) == 1:
            return [f"model error: {_one_line(err)}"]
    out = []
    for t in texts:  # isolate the failing text(s)
        try:
            out.append(clf.predict(t, batch_size=batch_size, threshold=threshold))
        except Exception as err:
            out.append(f"model error: {_one_line(err)}")
    return out


def score_chunk(chunk: pd.DataFrame, classifier: NeutralityClassifier, *, text_column: str = "text",
                id_column: str | None = None, row_offset: int = 0, batch_size: int = 32,
                threshold: float | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> pd.DataFrame:
    """Score one chunk of rows: the single implementation behind the command, :func:`score_frame`
    and :func:`netral_nlp.spark.score_spark`.

    Returns a DataFrame with the same index and length as ``chunk``: ``id_column`` (or ``row`` =
    ``row_offset`` + position when ``id_column`` is None), ``label``, ``score``, ``spans``,
    ``error``. The valid texts go to ``classifier.predict`` in one call (it batches windows of
    similar length together); results are written back in input order.
    """
    import pandas as pd

    if text_column not in chunk.columns:
        raise ValueError(f"no column {text_column!r} (columns: {list(chunk.columns)})")
    if id_column is not None and id_column in RESULT_COLUMNS:
        raise ValueError(f"the id column cannot be called {id_column!r}: it is an output column")
    n = len(chunk)
    texts = chunk[text_column].tolist()
    read_errors = chunk[READ_ERROR].tolist() if READ_ERROR in chunk.columns else [None] * n
    labels: list[str | None] = [None] * n
    scores: list[float | None] = [None] * n
    spans: list[str | None] = [None] * n
    errors: list[str | None] = [None] * n
    todo: list[int] = []
    for i, (t, rerr) in enumerate(zip(texts, read_errors)):
        problem = rerr if isinstance(rerr, str) and rerr else text_problem(t, max_chars, text_column)
        if problem is None:
            todo.append(i)
            continue
        errors[i] = problem
        if problem == ERR_EMPTY:
            labels[i], scores[i], spans[i] = NEUTRAL, 0.0, "[]"
    if todo:
        preds = _predict(classifier, [texts[i] for i in todo], batch_size, threshold)
        for i, p in zip(todo, preds):
            if isinstance(p, str):
                errors[i] = p
            else:
                labels[i], scores[i], spans[i] = p.label, float(p.score), spans_json(p.spans)
    out: dict[str, Any] = {}
    if id_column is None:
        out[ROW_COLUMN] = pd.Series(range(row_offset, row_offset + n), dtype="int64", index=chunk.index)
    else:
        ids = chunk[id_column].tolist() if id_column in chunk.columns else [None] * n
        out[id_column] = pd.Series([_clean_id(v) for v in ids], dtype=object, index=chunk.index)
    out["label"] = pd.Series(labels, dtype=object, index=chunk.index)
    out["score"] = pd.Series([math.nan if s is None else s for s in scores], dtype="float64", index=chunk.index)
    out["spans"] = pd.Series(spans, dtype=object, index=chunk.index)
    out["error"] = pd.Series(errors, dtype=object, index=chunk.index)
    return pd.DataFrame(out, index=chunk.index)


def _load_classifier(model=None, *, quantize: bool | str = False, max_length: int | None = None,
                     stride: int | None = None):
    from .classifier import NeutralityClassifier

    return NeutralityClassifier.from_pretrained(model, quantize=quantize, max_length=max_length, stride=stride)


def score_frame(df, text_column: str = "text", id_column: str | None = None, classifier=None, model=None,
                batch_size: int = 32, threshold: float | None = None, *, max_chars: int = DEFAULT_MAX_CHARS,
                chunk_size: int = DEFAULT_CHUNK_SIZE, max_length: int | None = None, stride: int | None = None,
                quantize: bool | str = False, progress: bool = False) -> pd.DataFrame:
    """Score a pandas DataFrame (or Series of texts): the Python twin of ``netral score``.

    Returns a DataFrame with the same index as ``df`` and the columns of the command's output:
    ``id_column`` (or ``row``, the 0-based position), ``label``, ``score``, ``spans`` (JSON
    string), ``error``. Pass a loaded ``classifier``, or ``model`` (a directory or Hub id; default:
    the shipped model). Bad rows get an ``error`` instead of raising.
    """
    import pandas as pd

    if isinstance(df, pd.Series):
        df = pd.DataFrame({text_column: df.astype(object)}, index=df.index)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df is {type(df).__name__}; expected a pandas DataFrame or Series")
    if text_column not in df.columns:
        raise ValueError(f"no column {text_column!r} in the DataFrame (columns: {list(df.columns)})")
    if id_column is not None and id_column not in df.columns:
        raise ValueError(f"no id column {id_column!r} in the DataFrame (columns: {list(df.columns)})")
    _check_numbers(batch_size=batch_size, chunk_size=chunk_size, threshold=threshold, max_chars=max_chars)
    if classifier is None:
        classifier = _load_classifier(model, quantize=quantize, max_length=max_length, stride=stride)
    elif model is not None:
        raise ValueError("pass either classifier= or model=, not both")
    starts = range(0, len(df), chunk_size)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc="scoring", unit="chunk")
    parts = [score_chunk(df.iloc[s:s + chunk_size], classifier, text_column=text_column, id_column=id_column,
                         row_offset=s, batch_size=batch_size, threshold=threshold, max_chars=max_chars)
             for s in starts]
    if not parts:
        return score_chunk(df.iloc[:0], classifier, text_column=text_column, id_column=id_column)
    return pd.concat(parts) if len(parts) > 1 else parts[0]


def _check_numbers(*, batch_size: int = 1, chunk_size: int = 1, threshold: float | None = None,
                   max_chars: int = 1) -> None:
    if batch_size < 1:
        raise ValueError("batch size must be >= 1")
    if chunk_size < 1:
        raise ValueError("chunk size must be >= 1")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold must be between 0 and 1")
    if max_chars < 1:
        raise ValueError("max chars must be >= 1")


# --------------------------------------------------------------------------------------- formats
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


def detect_format(path: str | os.PathLike) -> tuple[str, bool]:
    """(``csv`` | ``jsonl`` | ``parquet``, gzipped) from the file name."""
    name = Path(path).name.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    for ext, fmt in FORMATS.items():
        if name.endswith(ext):
            if gz and fmt == "parquet":
                raise _usage_error(f"{path}: gzip-compressed Parquet is not supported (Parquet is compressed already)")
            return fmt, gz
    raise _usage_error(f"{path}: unknown file type; use .csv, .jsonl/.ndjson or .parquet "
                       "(.csv.gz and .jsonl.gz for input)")


def _frame(text_column: str, texts: list, id_name: str | None, ids: list, errors: list):
    import pandas as pd

    cols = {text_column: pd.Series(texts, dtype=object)}
    if id_name is not None and id_name != text_column:
        cols[id_name] = pd.Series(ids, dtype=object)
    cols[READ_ERROR] = pd.Series(errors, dtype=object)
    return pd.DataFrame(cols)


def _open_binary(path: Path, gz: bool):
    return gzip.open(path, "rb") if gz else open(path, "rb")


def _clean(s: str) -> str:
    return _SURROGATES.sub("\ufffd", s)


class _Reader:
    """Streams an input file as chunk DataFrames of exactly ``chunk_size`` rows (the last one
    shorter), with the text column, the id column and :data:`READ_ERROR`."""

    columns: list[str] | None = None  # None: not known before reading (JSONL)
    total: int | None = None  # number of rows when known up front (Parquet)
    id_type = None  # Arrow type of the id column (Parquet input)

    def __init__(self, path: Path, gz: bool, text_column: str, id_name: str, chunk_size: int):
        self.path, self.gz, self.text_column, self.id_name, self.chunk_size = (
            path, gz, text_column, id_name, chunk_size)

    def rows(self) -> Iterator[tuple[Any, Any, str | None]]:  # (text, id, read error)
        raise NotImplementedError

    def chunks(self):
        texts, ids, errs = [], [], []
        for t, i, e in self.rows():
            texts.append(t)
            ids.append(i)
            errs.append(e)
            if len(texts) >= self.chunk_size:
                yield _frame(self.text_column, texts, self.id_name, ids, errs)
                texts, ids, errs = [], [], []
        if texts:
            yield _frame(self.text_column, texts, self.id_name, ids, errs)

    def close(self) -> None:
        pass


class CsvReader(_Reader):
    """Python's ``csv`` module over the bytes decoded with ``surrogateescape``: invalid UTF-8
    survives as lone surrogates (so that row gets an error), and a record with the wrong number
    of fields becomes an error row instead of being dropped or silently padded."""

    def __init__(self, *args):
        super().__init__(*args)
        if csv.field_size_limit() < 2**31 - 1:  # long texts are capped by max_chars, not here
            csv.field_size_limit(2**31 - 1)
        self._fh = _open_binary(self.path, self.gz)
        self._text = io.TextIOWrapper(self._fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._csv = csv.reader(self._text, strict=False)
        try:
            header = next(self._csv)
        except StopIteration:
            self.close()
            raise _usage_error(f"{self.path}: empty CSV file (no header row)") from None
        except csv.Error as err:
            self.close()
            raise _usage_error(f"{self.path}: cannot read the CSV header: {err}") from err
        self.columns = [_clean(h) for h in header]

    def rows(self):
        n = len(self.columns)
        ti = self.columns.index(self.text_column)
        ii = self.columns.index(self.id_name) if self.id_name in self.columns else None
        reader = self._csv
        while True:
            line = reader.line_num + 1
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield None, None, f"malformed CSV row: line {line}: {err}"
                continue
            if not rec:  # blank line: not a row
                continue
            if len(rec) != n:  # keep the id when the record has that field: it helps find the row
                rid = _clean(rec[ii]) if ii is not None and ii < len(rec) else None
                yield None, rid, f"malformed CSV row: line {line}: expected {n} fields, got {len(rec)}"
                continue
            yield rec[ti], (_clean(rec[ii]) if ii is not None else None), None

    def close(self) -> None:
        self._fh.close()


class JsonlReader(_Reader):
    """One JSON object a line, read line by line: a malformed line becomes one error row."""

    def __init__(self, *args):
        super().__init__(*args)
        self._fh = _open_binary(self.path, self.gz)

    def rows(self):
        for lineno, raw in enumerate(self._fh, 1):
            line = raw.decode("utf-8", "surrogateescape")
            if lineno == 1 and line.startswith("\ufeff"):
                line = line[1:]
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield None, None, f"malformed JSON: line {lineno}: {err.msg} at column {err.colno}"
                continue
            except (ValueError, RecursionError) as err:
                yield None, None, f"malformed JSON: line {lineno}: {_one_line(err)}"
                continue
            if not isinstance(obj, dict):
                yield None, None, f"malformed JSON: line {lineno}: a {type(obj).__name__}, not an object"
                continue
            yield obj.get(self.text_column, MISSING), obj.get(self.id_name), None

    def close(self) -> None:
        self._fh.close()


class ParquetReader(_Reader):
    """``pyarrow.parquet.ParquetFile.iter_batches`` over the text and id columns only."""

    def __init__(self, *args):
        super().__init__(*args)
        import pyarrow.parquet as pq

        try:
            self._pf = pq.ParquetFile(self.path)
        except Exception as err:
            raise _usage_error(f"{self.path}: not a readable Parquet file: {_one_line(err)}") from err
        schema = self._pf.schema_arrow
        self.columns = list(schema.names)
        self.total = self._pf.metadata.num_rows
        if self.id_name in self.columns:
            import pyarrow as pa

            t = schema.field(self.id_name).type
            self.id_type = t.value_type if pa.types.is_dictionary(t) else t

    def rows(self):
        cols = [self.text_column] + ([self.id_name] if self.id_name in self.columns
                                     and self.id_name != self.text_column else [])
        for batch in self._pf.iter_batches(batch_size=self.chunk_size, columns=cols):
            texts = batch.column(self.text_column).to_pylist()
            ids = batch.column(self.id_name).to_pylist() if len(cols) > 1 else [None] * len(texts)
            for t, i in zip(texts, ids):
                yield t, i, None

    def close(self) -> None:
        self._pf.close()


READERS = {"csv": CsvReader, "jsonl": JsonlReader, "parquet": ParquetReader}


# --------------------------------------------------------------------------------------- writers
def _fsync(fh) -> None:
    fh.flush()
    os.fsync(fh.fileno())


def _json_value(v):
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _id_to_str(v) -> str | None:
    if v is None:
        return None
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)


class _FileWriter:
    """Appends chunks to one partial file; the committed position is its size in bytes."""

    def __init__(self, partial: Path, columns: list[str], resume_bytes: int | None):
        self.partial, self.columns = partial, columns
        if resume_bytes is None:
            if partial.is_dir():
                shutil.rmtree(partial)
            self.fh = open(partial, "w", encoding="utf-8", newline="")  # noqa: SIM115 (closed in finalize)
            self._header()
        else:
            if not partial.is_file() or partial.stat().st_size < resume_bytes:
                raise _usage_error(f"cannot resume: {partial} is missing or shorter than recorded; "
                                   "run again without --resume")
            with open(partial, "r+b") as fh:  # drop what was written after the last commit
                fh.truncate(resume_bytes)
            self.fh = open(partial, "a", encoding="utf-8", newline="")  # noqa: SIM115
        _fsync(self.fh)

    def _header(self) -> None:
        pass

    def position(self) -> dict:
        self.fh.flush()
        return {"bytes": os.fstat(self.fh.fileno()).st_size}

    def commit(self) -> dict:
        _fsync(self.fh)
        return self.position()

    def finalize(self, output: Path) -> None:
        self.fh.close()
        os.replace(self.partial, output)

    def close(self) -> None:
        if not self.fh.closed:
            self.fh.close()


class CsvWriter(_FileWriter):
    def _header(self) -> None:
        w = csv.writer(self.fh, lineterminator="\n")
        w.writerow(self.columns)

    def write(self, frame) -> None:
        frame.to_csv(self.fh, header=False, index=False, lineterminator="\n")


class JsonlWriter(_FileWriter):
    def write(self, frame) -> None:
        cols = [frame[c].tolist() for c in self.columns]
        lines = [json.dumps({c: _json_value(v) for c, v in zip(self.columns, vals)}, ensure_ascii=False,
                            default=str) for vals in zip(*cols)]
        if lines:
            self.fh.write("\n".join(lines) + "\n")


class ParquetWriter:
    """One part file per chunk in the partial directory; concatenated at the end."""

    def __init__(self, partial: Path, columns: list[str], resume_parts: int | None, id_type=None):
        import pyarrow as pa

        self.partial, self.columns = partial, columns
        key = columns[0]
        key_type = pa.int64() if key == ROW_COLUMN else (id_type or pa.string())
        self.schema = pa.schema([(key, key_type), ("label", pa.string()), ("score", pa.float64()),
                                 ("spans", pa.string()), ("error", pa.string())])
        if resume_parts is None:
            if partial.is_dir():
                shutil.rmtree(partial)
            elif partial.exists():
                partial.unlink()
            partial.mkdir()
            self.parts = 0
        else:
            if not partial.is_dir():
                raise _usage_error(f"cannot resume: {partial} is missing; run again without --resume")
            have = sorted(partial.glob("part-*.parquet"))
            for p in have[resume_parts:]:  # written after the last commit
                p.unlink()
            if len(have) < resume_parts:
                raise _usage_error(f"cannot resume: {partial} has fewer parts than recorded; "
                                   "run again without --resume")
            self.parts = resume_parts

    def _part(self, k: int) -> Path:
        return self.partial / f"part-{k:06d}.parquet"

    def write(self, frame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        key = self.columns[0]
        keys = frame[key].tolist()
        if key != ROW_COLUMN and pa.types.is_string(self.schema.field(key).type):
            keys = [_id_to_str(v) for v in keys]
        scores = [None if math.isnan(s) else s for s in frame["score"].tolist()]
        arrays = [pa.array(keys, type=self.schema.field(key).type),
                  pa.array(frame["label"].tolist(), type=pa.string()), pa.array(scores, type=pa.float64()),
                  pa.array(frame["spans"].tolist(), type=pa.string()),
                  pa.array(frame["error"].tolist(), type=pa.string())]
        table = pa.Table.from_arrays(arrays, schema=self.schema)
        tmp = self.partial / f".part-{self.parts:06d}.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, self._part(self.parts))
        self.parts += 1

    def position(self) -> dict:
        return {"parts": self.parts}

    def commit(self) -> dict:
        return self.position()

    def finalize(self, output: Path) -> None:
        import pyarrow.parquet as pq

        tmp = output.with_name(output.name + ".netral-tmp")
        with pq.ParquetWriter(tmp, self.schema) as w:
            for k in range(self.parts):
                w.write_table(pq.read_table(self._part(k), schema=self.schema))
        os.replace(tmp, output)
        shutil.rmtree(self.partial)

    def close(self) -> None:
        pass


# ------------------------------------------------------------------------------------- the file
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

    @property
    def rows_per_second(self) -> float:
        return (self.rows - self.resumed_rows) / self.scoring_seconds if self.scoring_seconds > 0 else 0.0


def partial_paths(output: str | os.PathLike) -> tuple[Path, Path]:
    """(partial output, state file) of a run writing ``output``."""
    out = Path(output)
    return out.with_name(out.name + ".netral-partial"), out.with_name(out.name + ".netral-state.json")


def _write_json_atomic(path: Path, obj) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False)
        _fsync(fh)
    os.replace(tmp, path)


def _file_stamp(path: Path) -> list:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _model_stamp(model) -> dict:
    from .classifier import default_model_path, resolve_model_dir

    directory = default_model_path() if model is None else resolve_model_dir(model)
    stamp = {"model": str(Path(directory).resolve())}
    for name in ("config.json", "model.safetensors"):
        if (directory / name).exists():
            stamp[name] = _file_stamp(directory / name)
    return stamp


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
            raise _usage_error(f"{path}: cannot read input: {_one_line(err)}") from err
        yield chunk


def _load_state(state_path: Path, fingerprint: dict, log) -> dict | None:
    """The state of the interrupted run to resume, or None (with a note) when there is none."""
    if not state_path.is_file():
        print(f"netral: nothing to resume ({state_path.name} not found); starting from the beginning", file=log)
        return None
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise _usage_error(f"cannot resume: {state_path} is unreadable ({err}); run again without --resume") from err
    old = state.get("fingerprint") or {}
    if old != fingerprint:
        what = sorted(k for k in set(old) | set(fingerprint) if old.get(k) != fingerprint.get(k))
        if "params" in what:
            what.remove("params")
            before, now = old.get("params") or {}, fingerprint["params"]
            what += sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))
        raise _usage_error(f"cannot resume: {', '.join(what)} changed since the interrupted run; "
                           "run again without --resume to start over")
    return state


def _fmt_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


def score_file(input: str | os.PathLike, output: str | os.PathLike, *, model=None, classifier=None,
               text_column: str = "text", id_column: str | None = None, batch_size: int = 32,
               threshold: float | None = None, max_length: int | None = None, stride: int | None = None,
               chunk_size: int = DEFAULT_CHUNK_SIZE, max_chars: int = DEFAULT_MAX_CHARS, resume: bool = False,
               report: str | os.PathLike | None = None, report_top: int = 20, quantize: bool | str = False,
               num_threads: int | None = None, progress: bool = True, log=None) -> ScoreSummary:
    """Score a CSV, JSONL or Parquet file into another, chunk by chunk (what ``netral score`` runs).

    ``id_column=None`` uses ``id`` when the input has it, otherwise a ``row`` column; a named
    ``id_column`` must exist (CSV, Parquet). ``num_threads`` sets ``torch.set_num_threads``.
    See the module docstring for errors and resuming.
    """
    from .report import ReportBuilder

    log = log or sys.stderr
    started = time.time()
    in_path, out_path = Path(input), Path(output)
    if not in_path.is_file():
        raise _usage_error(f"{in_path}: no such input file")
    in_fmt, gz = detect_format(in_path)
    out_fmt, out_gz = detect_format(out_path)
    if out_gz:
        raise _usage_error(f"{out_path}: compressed output is not supported; write .csv, .jsonl or .parquet")
    if out_path.resolve() == in_path.resolve():
        raise _usage_error("the output file must not be the input file")
    if not out_path.parent.is_dir():
        raise _usage_error(f"{out_path.parent}: the output directory does not exist")
    if report is not None:
        report = Path(report)
        if not report.parent.is_dir():
            raise _usage_error(f"{report.parent}: the report directory does not exist")
    try:
        _check_numbers(batch_size=batch_size, chunk_size=chunk_size, threshold=threshold, max_chars=max_chars)
        if num_threads is not None and num_threads < 1:
            raise ValueError("threads must be >= 1")
        if report_top < 0:
            raise ValueError("report top must be >= 0")
    except ValueError as err:
        raise _usage_error(str(err)) from None

    id_name = id_column or "id"
    reader = READERS[in_fmt](in_path, gz, text_column, id_name, chunk_size)
    writer = None
    try:
        if reader.columns is not None:
            if text_column not in reader.columns:
                raise _usage_error(f"{in_path}: no column {text_column!r} (columns: {', '.join(reader.columns)}); "
                                   "use --text-column")
            if id_column is not None and id_column not in reader.columns:
                raise _usage_error(f"{in_path}: no id column {id_column!r} (columns: {', '.join(reader.columns)})")
        chunks = _guarded(reader.chunks(), in_path)
        first = next(chunks, None)
        if reader.columns is None and first is not None:  # JSONL: look at the first chunk
            ok = first[READ_ERROR].isna()
            if ok.any() and all(t is MISSING for t in first.loc[ok, text_column]):
                raise _usage_error(f"{in_path}: no line in the first {len(first):,} rows has a "
                                   f"{text_column!r} key; use --text-column")
        if id_column is not None:
            key = id_column
        elif reader.columns is not None:
            key = id_name if id_name in reader.columns else None
        else:
            key = id_name if first is not None and first[id_name].notna().any() else None
        if key in RESULT_COLUMNS:
            raise _usage_error(f"the id column cannot be called {key!r}: it is an output column")
        out_columns = [key or ROW_COLUMN, *RESULT_COLUMNS]

        params = {"text_column": text_column, "id_column": key, "batch_size": batch_size, "threshold": threshold,
                  "max_length": max_length, "stride": stride, "chunk_size": chunk_size, "max_chars": max_chars,
                  "quantize": quantize, "output_format": out_fmt}
        from . import __version__

        fingerprint = {"version": STATE_VERSION, "netral_nlp": __version__,
                       "input": str(in_path.resolve()), "input_stamp": _file_stamp(in_path),
                       "output": str(out_path.resolve()), "params": params,
                       "model": (_model_stamp(model) if classifier is None
                                 else {"classifier": getattr(classifier, "name", repr(classifier))})}
        partial, state_path = partial_paths(out_path)
        state = _load_state(state_path, fingerprint, log) if resume else None

        if num_threads is not None:
            import torch

            torch.set_num_threads(num_threads)
        if classifier is None:
            classifier = _load_classifier(model, quantize=quantize, max_length=max_length, stride=stride)
        thr = classifier.threshold if threshold is None else threshold

        committed = state["rows"] if state else 0
        builder = ReportBuilder.from_state(state["report"]) if state else ReportBuilder(top_n=report_top)
        counts = dict(state["counts"]) if state else {"partisan": 0, "errors": 0}
        if out_fmt == "parquet":
            writer = ParquetWriter(partial, out_columns, state["position"]["parts"] if state else None,
                                   id_type=reader.id_type)
        else:
            cls = CsvWriter if out_fmt == "csv" else JsonlWriter
            writer = cls(partial, out_columns, state["position"]["bytes"] if state else None)

        def save_state(rows: int) -> None:
            _write_json_atomic(state_path, {"fingerprint": fingerprint, "rows": rows, "position": writer.commit(),
                                            "counts": counts, "report": builder.to_state()})

        if not state:
            save_state(0)
        from tqdm.auto import tqdm

        bar = tqdm(total=reader.total, initial=committed, unit=" rows", desc="scoring", disable=not progress,
                   file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
        scoring_started = time.time()
        offset = 0
        stream = chunks if first is None else _chain(first, chunks)
        try:
            for chunk in stream:
                n = len(chunk)
                if offset + n <= committed:  # already in the partial output
                    offset += n
                    continue
                if offset < committed:  # only when the chunk size changed: never, it is in the fingerprint
                    chunk = chunk.iloc[committed - offset:]
                    offset, n = committed, len(chunk)
                scored = score_chunk(chunk, classifier, text_column=text_column, id_column=key,
                                     row_offset=offset, batch_size=batch_size, threshold=threshold,
                                     max_chars=max_chars)
                writer.write(scored)
                builder.add(scored, chunk[text_column].tolist())
                counts["partisan"] += int((scored["label"] == "partisan").sum())
                counts["errors"] += int(scored["error"].notna().sum())
                offset += n
                save_state(offset)
                bar.update(n)
        except KeyboardInterrupt:
            bar.close()
            print(f"netral: interrupted; {offset:,} rows are saved. Run the same command with --resume "
                  "to continue.", file=log)
            raise
        bar.close()
        scoring_seconds = time.time() - scoring_started
        total_rows = max(offset, committed)
        writer.finalize(out_path)
        writer = None
        state_path.unlink(missing_ok=True)
        if report is not None:
            meta = {"input": in_path.name, "output": out_path.name, "model": getattr(classifier, "name", ""),
                    "threshold": thr}
            builder.write(report, meta=meta)
    finally:
        reader.close()
        if writer is not None:
            writer.close()
    summary = ScoreSummary(rows=total_rows, partisan=counts["partisan"], errors=counts["errors"],
                           elapsed=time.time() - started, output=out_path, resumed_rows=committed,
                           report=report, scoring_seconds=scoring_seconds)
    return summary


def _chain(first, rest):
    yield first
    yield from rest


# ------------------------------------------------------------------------------------------ CLI
def add_score_parser(sub) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "score", help="label every row of a CSV, JSONL or Parquet file",
        description="Label every row of a CSV, JSONL or Parquet file (chosen by extension; .csv.gz and "
                    ".jsonl.gz input accepted). One output row per input row, always: rows that cannot be "
                    "scored get an 'error'. Exit codes: 0 ok, 1 some rows have errors (output complete), "
                    "2 usage, model or input-file error.")
    p.add_argument("input", help="input file: .csv, .jsonl/.ndjson, .parquet (or .csv.gz, .jsonl.gz)")
    p.add_argument("-o", "--output", required=True, help="output file: .csv, .jsonl/.ndjson or .parquet")
    p.add_argument("--model", help="model directory or Hub id (default: the shipped model)")
    p.add_argument("--text-column", default="text", help="column with the text (default: text)")
    p.add_argument("--id-column", help="column identifying rows, copied to the output (default: 'id' when "
                                       "present, otherwise a 'row' column with 0-based row numbers)")
    p.add_argument("--batch-size", type=int, default=32, help="windows per forward pass (default: 32)")
    p.add_argument("--threshold", type=float, help="decision threshold on P(partisan) (default: the model's)")
    p.add_argument("--max-length", type=int, help="tokens per window (default: the model's)")
    p.add_argument("--stride", type=int, help="window overlap in tokens (default: the model's)")
    p.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE,
                   help=f"rows read, scored and written at a time (default: {DEFAULT_CHUNK_SIZE})")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help=f"longer texts get an error instead of a score (default: {DEFAULT_MAX_CHARS:,})")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run of the same command")
    p.add_argument("--report", metavar="HTML", help="also write a self-contained HTML report")
    p.add_argument("--report-top", type=int, default=20, metavar="N",
                   help="most partisan texts listed in the report (default: 20)")
    p.add_argument("--quiet", action="store_true", help="no progress bar (the summary line is still printed)")
    p.add_argument("--fast", action="store_true", help="int8 on CPU: ONNX Runtime when installed, else PyTorch "
                                                         "(about 2x faster; see benchmarks/)")
    p.add_argument("--threads", type=int, metavar="N", help="CPU threads for the model (torch.set_num_threads); "
                                                            "1 is often fastest on a busy or small machine")
    p.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    return p


def cmd_score(args) -> int:
    s = score_file(args.input, args.output, model=args.model, text_column=args.text_column,
                   id_column=args.id_column, batch_size=args.batch_size, threshold=args.threshold,
                   max_length=args.max_length, stride=args.stride, chunk_size=args.chunk_size,
                   max_chars=args.max_chars, resume=args.resume, report=args.report, report_top=args.report_top,
                   quantize=args.fast, num_threads=args.threads, progress=not args.quiet)
    rate = s.rows_per_second
    share = f" ({100 * s.partisan / s.rows:.1f}%)" if s.rows else ""
    resumed = f", resumed after {s.resumed_rows:,}" if s.resumed_rows else ""
    print(f"netral: {s.rows:,} row{'' if s.rows == 1 else 's'} in {_fmt_duration(s.elapsed)} "
          f"({rate:,.0f} rows/s{resumed}): "
          f"{s.partisan:,} partisan{share}, {s.errors:,} with errors -> {s.output}"
          + (f"; report {s.report}" if s.report else ""), file=sys.stderr)
    return EXIT_ROW_ERRORS if s.errors else EXIT_OK
