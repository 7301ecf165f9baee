"""Scale-out scoring on Apache Spark (``pip install "netral-nlp[spark]"``).

>>> from netral_nlp.spark import score_spark                          # doctest: +SKIP
>>> scored = score_spark(spark.read.parquet("posts/"), model="/models/netral-mini")  # doctest: +SKIP
>>> scored.write.parquet("scored/")                                   # doctest: +SKIP

:func:`score_spark` uses ``DataFrame.mapInPandas``: each task loads the model once (and a Python
worker that Spark reuses keeps it loaded), then scores its partition chunk by chunk with the
same :func:`netral_nlp.scoring.score_chunk` as ``netral score`` and :func:`netral_nlp.score_frame`.
The model directory must be readable at the same path on every executor (a shared filesystem,
or the default model installed with the package).
"""
from __future__ import annotations

import threading
from pathlib import Path

from .scoring import DEFAULT_CHUNK_SIZE, DEFAULT_MAX_CHARS, RESULT_COLUMNS, score_chunk

_CACHE: dict[tuple, object] = {}
_LOCK = threading.Lock()


def _classifier(model: str | None, quantize: bool | str, max_length: int | None, stride: int | None,
                num_threads: int | None):
    """One classifier per Python worker process and model settings."""
    key = (model, quantize, max_length, stride)
    with _LOCK:
        clf = _CACHE.get(key)
        if clf is None:
            if num_threads:
                import torch

                torch.set_num_threads(num_threads)
            from .classifier import NeutralityClassifier

            clf = NeutralityClassifier.from_pretrained(model, quantize=quantize, max_length=max_length,
                                                       stride=stride)
            _CACHE[key] = clf
        return clf


def result_schema():
    """The Spark types of the columns :func:`score_spark` appends."""
    from pyspark.sql.types import DoubleType, StringType, StructField

    return [StructField("label", StringType()), StructField("score", DoubleType()),
            StructField("spans", StringType()), StructField("error", StringType())]


def score_spark(sdf, text_column: str = "text", *, model: str | None = None, batch_size: int = 32,
                threshold: float | None = None, max_length: int | None = None, stride: int | None = None,
                quantize: bool | str = False, chunk_size: int = DEFAULT_CHUNK_SIZE, max_chars: int = DEFAULT_MAX_CHARS,
                num_threads: int | None = None):
    """Score a Spark DataFrame: the input columns plus ``label``, ``score``, ``spans``, ``error``.

    One output row per input row (bad rows get an ``error``, as in ``netral score``). ``model`` is
    a directory readable by every executor (default: the shipped model); a relative path is made
    absolute on the driver. ``num_threads`` sets torch's threads in each Python worker (set it to
    the cores per task to avoid oversubscription).
    """
    from pyspark.sql.types import StructType

    if text_column not in sdf.columns:
        raise ValueError(f"no column {text_column!r} (columns: {sdf.columns})")
    clash = [c for c in RESULT_COLUMNS if c in sdf.columns]
    if clash:
        raise ValueError(f"the input already has column(s) {clash}; rename or drop them first")
    if chunk_size < 1 or batch_size < 1:
        raise ValueError("chunk_size and batch_size must be >= 1")
    if model is not None and Path(model).expanduser().exists():
        model = str(Path(model).expanduser().resolve())
    schema = StructType(list(sdf.schema.fields) + result_schema())
    columns = list(sdf.columns)
    kw = {"text_column": text_column, "batch_size": batch_size, "threshold": threshold, "max_chars": max_chars}

    def score_partition(batches):
        import pandas as pd

        clf = _classifier(model, quantize, max_length, stride, num_threads)
        for pdf in batches:
            for start in range(0, len(pdf), chunk_size):
                part = pdf.iloc[start:start + chunk_size].reset_index(drop=True)
                scored = score_chunk(part, clf, **kw)
                yield pd.concat([part[columns], scored[list(RESULT_COLUMNS)]], axis=1)

    return sdf.mapInPandas(score_partition, schema)
