"""Which scored rows go to review, with their texts: :func:`select_for_review`.

A scored file (the output of ``netral score``) holds the id (or ``row``) column, ``label``,
``score``, ``spans`` and ``error``, not the texts: those are read again from the file that was
scored, streamed with the same reader as ``netral score`` so that ``row`` numbers line up. Every
model span is checked against its text, which catches a text file that is not the one scored.
"""
from __future__ import annotations

import heapq
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..labels import NEUTRAL, PARTISAN

SCORED_COLUMNS = ("label", "score", "spans", "error")


@dataclass
class ReviewItem:
    """One row to review: its key in the scored file, its text and what the model said."""

    key: str
    text: str = ""
    label: str = ""
    score: float = 0.0
    spans: list[dict] = field(default_factory=list)  # {start, end, text, category, score}


def key_str(v) -> str | None:
    """A row key as text, the same whichever format wrote it (``7``, ``7.0`` and ``"7"`` agree)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    return str(v)


def read_scored(path: Path):
    """The scored file as a DataFrame (it has no texts, so it is narrow enough to read whole)."""
    import pandas as pd

    from ..batch.io import detect_format

    fmt, gz = detect_format(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such scored file")
    if fmt == "csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        if "score" in df.columns:
            df["score"] = pd.to_numeric(df["score"], errors="coerce")
    elif fmt == "jsonl":
        df = pd.read_json(path, lines=True, dtype=False, precise_float=True, compression="gzip" if gz else None)
    elif fmt == "parquet":
        df = pd.read_parquet(path)
    else:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = wb.worksheets[0].iter_rows(values_only=True)
            header = [str(c) for c in next(rows, ())]
            df = pd.DataFrame(list(rows), columns=header)
        finally:
            wb.close()
    missing = [c for c in SCORED_COLUMNS if c not in df.columns]
    if missing or len(df.columns) < 5:
        raise UsageError(f"{path}: not a file written by netral score (missing {', '.join(missing) or 'the id'} "
                         "column)")
    return df


def _pick(df, limit: int | None, sample_neutral: int, seed: int) -> list[ReviewItem]:
    key_col = df.columns[0]
    ok = df["error"].isna() | (df["error"].astype(str) == "")
    partisan, neutral = [], []
    for pos, (key, label, score, spans) in enumerate(zip(df[key_col].tolist(), df["label"].tolist(),
                                                         df["score"].tolist(), df["spans"].tolist())):
        if not ok.iloc[pos]:
            continue
        item = (-float(score), pos, key_str(key), label, float(score), spans)
        if label == PARTISAN:
            partisan.append(item)
        elif label == NEUTRAL:
            neutral.append(item)
    chosen = heapq.nsmallest(limit, partisan) if limit is not None else sorted(partisan)
    if sample_neutral:
        sample = random.Random(seed).sample(neutral, min(sample_neutral, len(neutral)))
        chosen += sorted(sample)
    return [ReviewItem(key=k, label=lab, score=s, spans=json.loads(sp) if isinstance(sp, str) and sp else [])
            for _, _, k, lab, s, sp in chosen]


def _attach_texts(items: list[ReviewItem], key_col: str, texts: Path, text_column: str, sheet) -> None:
    from ..batch.io import READERS, detect_format

    fmt, gz = detect_format(texts)
    if not texts.is_file():
        raise UsageError(f"{texts}: no such input file")
    by_key = {it.key: it for it in items}
    if len(by_key) != len(items):
        raise UsageError(f"the key column {key_col!r} of the scored file has duplicate values; "
                         "score again with a unique --id-column")
    by_position = key_col == "row"
    extra = {"sheet": sheet} if fmt == "xlsx" else {}
    reader = READERS[fmt](texts, gz, text_column, None if by_position else key_col, 1000, **extra)
    try:
        if reader.columns is not None and text_column not in reader.columns:
            raise UsageError(f"{texts}: no column {text_column!r} (columns: {', '.join(reader.columns)}); "
                             "use --text-column")
        found = 0
        for pos, (text, rid, _err) in enumerate(reader.rows()):
            key = str(pos) if by_position else key_str(rid)
            it = by_key.get(key)
            if it is None or it.text:
                continue
            if not isinstance(text, str):
                raise UsageError(f"{texts}: row {key}: the text is not a string; is this the file that was scored?")
            it.text = text
            found += 1
            if found == len(by_key):
                break
    finally:
        reader.close()
    lost = [it.key for it in items if not it.text]
    if lost:
        raise UsageError(f"{texts}: {len(lost)} scored row(s) not found (first: {key_col} {lost[0]!r}); "
                         "is this the file that was scored?")
    _check_spans(items, key_col, texts)


def _check_spans(items: list[ReviewItem], key_col: str, texts: Path) -> None:
    for it in items:
        if not isinstance(it.text, str):
            raise UsageError(f"{texts}: {key_col} {it.key}: the text is not a string")
        for s in it.spans:
            if it.text[s["start"]:s["end"]] != s.get("text"):
                raise UsageError(f"{texts}: {key_col} {it.key}: the span [{s['start']}, {s['end']}) "
                                 f"{s.get('text')!r} does not match the text; is this the file that was scored?")


def select_for_review(scored: str | Path, texts: str | Path | None, text_column: str = "text", *, limit: int | None = None,
                      sample_neutral: int = 0, seed: int = 0, sheet=None) -> tuple[str, list[ReviewItem]]:
    """(key column, rows to review): the partisan rows of ``scored``, most confident first (at most
    ``limit``), then ``sample_neutral`` neutral rows drawn at random (``seed``), with their texts
    from ``texts`` (the file that was scored; ``sheet`` for a workbook; None: the scored file's own
    ``text_column``). Rows with an error are never chosen."""
    if limit is not None and limit < 0 or sample_neutral < 0:
        raise UsageError("--limit and --sample-neutral must be >= 0")
    df = read_scored(Path(scored))
    key_col = str(df.columns[0])
    items = _pick(df, limit, sample_neutral, seed)
    if texts is None:
        if text_column not in df.columns:
            raise UsageError(f"{scored}: the scored file has no {text_column!r} column; give the file that was "
                             "scored with --texts")
        by_key = {key_str(k): t for k, t in zip(df[key_col].tolist(), df[text_column].tolist())}
        for it in items:
            it.text = by_key[it.key]
        _check_spans(items, key_col, Path(scored))
    elif items:
        _attach_texts(items, key_col, Path(texts), text_column, sheet)
    return key_col, items
