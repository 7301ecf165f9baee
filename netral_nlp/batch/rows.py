"""Scoring rows: :func:`score_chunk`, the one implementation behind ``netral score``,
:func:`score_frame` and :func:`~netral_nlp.batch.spark.score_spark`.

Output columns: the id column (or ``row``, 0-based row number, when there is none), then

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
``undecodable bytes``      bytes not valid in the input's encoding (or lone surrogates)
``text too long``          more than ``max_chars`` characters (default 100,000)
``malformed CSV row``      wrong number of fields
``malformed JSON``         a JSONL line that is not valid JSON, or not a JSON object
``model error``            the model failed on this text
=========================  ==========================================================
"""
from __future__ import annotations

import contextlib
import math
import re
from typing import TYPE_CHECKING, Any

from ..labels import NEUTRAL
from ..predictions import spans_to_json
from .options import ROW_COLUMN, ScoreOptions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

READ_ERROR = "__netral_read_error__"  # reader-level error of a row (malformed CSV/JSON)
ERR_EMPTY = "empty text"
ERR_MISSING = "missing text"
SURROGATES = re.compile("[\ud800-\udfff]")


class _Missing:
    """A JSONL line without the text key (distinct from an explicit ``null``)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()


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


def text_problem(text, max_chars: int, text_column: str = "text") -> str | None:
    """Why ``text`` cannot be scored (an ``error`` value), or None when it can."""
    if text is MISSING:
        return f"{ERR_MISSING}: no {text_column!r} key"
    if _is_null(text):
        return ERR_MISSING
    if not isinstance(text, str):
        return f"not a string: {type(text).__name__}"
    if SURROGATES.search(text):
        return ("undecodable bytes: the text has bytes that are not valid in the input's encoding; name the "
                "encoding with --encoding (for example --encoding cp1252)")
    if not text.strip():
        return ERR_EMPTY
    if len(text) > max_chars:
        return f"text too long: {len(text):,} characters (limit {max_chars:,})"
    return None


def clean_id(v):
    """An id value as written to the output: None for nulls, plain Python scalars, valid text."""
    if _is_null(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalar
        with contextlib.suppress(ValueError, TypeError):
            v = v.item()
    if isinstance(v, str) and SURROGATES.search(v):
        return SURROGATES.sub("\ufffd", v)
    return v


def one_line(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}".replace("\n", " ")[:300]


def _predict(clf, texts: list[str], batch_size: int, threshold: float | None) -> list:
    """Predictions for ``texts``; a text the model fails on gets its error message instead."""
    try:
        return list(clf.predict(texts, batch_size=batch_size, threshold=threshold))
    except Exception as err:
        if len(texts) == 1:
            return [f"model error: {one_line(err)}"]
    out = []
    for t in texts:  # isolate the failing text(s)
        try:
            out.append(clf.predict(t, batch_size=batch_size, threshold=threshold))
        except Exception as err:
            out.append(f"model error: {one_line(err)}")
    return out


def score_chunk(chunk: pd.DataFrame, classifier, options: ScoreOptions | None = None, *,
                row_offset: int = 0) -> pd.DataFrame:
    """Score one chunk of rows with ``classifier`` (anything with ``predict``).

    Returns a DataFrame with the same index and length as ``chunk``: the id column (or ``row`` =
    ``row_offset`` + position when ``options.id_column`` is None), ``label``, ``score``,
    ``spans``, ``error``. The valid texts go to ``classifier.predict`` in one call (it batches
    windows of similar length together); results are written back in input order.
    """
    import pandas as pd

    opts = options or ScoreOptions()
    text_column, id_column = opts.text_column, opts.id_column
    if text_column not in chunk.columns:
        raise ValueError(f"no column {text_column!r} (columns: {list(chunk.columns)})")
    n = len(chunk)
    texts = chunk[text_column].tolist()
    read_errors = chunk[READ_ERROR].tolist() if READ_ERROR in chunk.columns else [None] * n
    labels: list[str | None] = [None] * n
    scores: list[float | None] = [None] * n
    spans: list[str | None] = [None] * n
    errors: list[str | None] = [None] * n
    todo: list[int] = []
    for i, (t, rerr) in enumerate(zip(texts, read_errors)):
        problem = rerr if isinstance(rerr, str) and rerr else text_problem(t, opts.max_chars, text_column)
        if problem is None:
            todo.append(i)
            continue
        errors[i] = problem
        if problem == ERR_EMPTY:
            labels[i], scores[i], spans[i] = NEUTRAL, 0.0, "[]"
    if todo:
        preds = _predict(classifier, [texts[i] for i in todo], opts.batch_size, opts.threshold)
        for i, p in zip(todo, preds):
            if isinstance(p, str):
                errors[i] = p
            else:
                labels[i], scores[i], spans[i] = p.label, float(p.score), spans_to_json(p.spans)
    out: dict[str, Any] = {}
    if id_column is None:
        out[ROW_COLUMN] = pd.Series(range(row_offset, row_offset + n), dtype="int64", index=chunk.index)
    else:
        ids = chunk[id_column].tolist() if id_column in chunk.columns else [None] * n
        out[id_column] = pd.Series([clean_id(v) for v in ids], dtype=object, index=chunk.index)
    out["label"] = pd.Series(labels, dtype=object, index=chunk.index)
    out["score"] = pd.Series([math.nan if s is None else s for s in scores], dtype="float64", index=chunk.index)
    out["spans"] = pd.Series(spans, dtype=object, index=chunk.index)
    out["error"] = pd.Series(errors, dtype=object, index=chunk.index)
    return pd.DataFrame(out, index=chunk.index)


def score_frame(df, text_column: str = "text", id_column: str | None = None, classifier=None, model=None, *,
                options: ScoreOptions | None = None, progress: bool = False, **settings) -> pd.DataFrame:
    """Score a pandas DataFrame (or Series of texts): the Python twin of ``netral score``.

    Returns a DataFrame with the same index as ``df`` and the columns of the command's output:
    ``id_column`` (or ``row``, the 0-based position), ``label``, ``score``, ``spans`` (JSON
    string), ``error``. Pass a loaded ``classifier``, or ``model`` (a directory or Hub id; default:
    the shipped model). Bad rows get an ``error`` instead of raising. Other options
    (``batch_size``, ``threshold``, ``chunk_size``, ``max_chars``, ``quantize``, ``max_length``,
    ``stride``...) are the fields of :class:`~netral_nlp.batch.options.ScoreOptions` and
    :class:`~netral_nlp.batch.options.ModelSpec`, given as ``options`` or as keywords.
    """
    import pandas as pd

    if model is not None:
        settings["model"] = model
    opts = ScoreOptions.build(options, text_column=text_column, id_column=id_column, **settings)
    if isinstance(df, pd.Series):
        df = pd.DataFrame({text_column: df.astype(object)}, index=df.index)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df is {type(df).__name__}; expected a pandas DataFrame or Series")
    if text_column not in df.columns:
        raise ValueError(f"no column {text_column!r} in the DataFrame (columns: {list(df.columns)})")
    if id_column is not None and id_column not in df.columns:
        raise ValueError(f"no id column {id_column!r} in the DataFrame (columns: {list(df.columns)})")
    if classifier is None:
        classifier = opts.model.load()
    elif model is not None:
        raise ValueError("pass either classifier= or model=, not both")
    size = opts.chunk_size
    starts = range(0, len(df), size)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc="scoring", unit="chunk")
    parts = [score_chunk(df.iloc[s:s + size], classifier, opts, row_offset=s) for s in starts]
    if not parts:
        return score_chunk(df.iloc[:0], classifier, opts)
    return pd.concat(parts) if len(parts) > 1 else parts[0]

