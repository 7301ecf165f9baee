"""Scale-out scoring on Apache Spark (``pip install "netral-nlp[spark]"``).

>>> from netral_nlp import score_spark                                # doctest: +SKIP
>>> scored = score_spark(spark.read.parquet("posts/"), model="/models/netral-mini")  # doctest: +SKIP
>>> scored.write.parquet("scored/")                                   # doctest: +SKIP

:func:`score_spark` uses ``DataFrame.mapInPandas``: each task loads the model once (and a Python
worker that Spark reuses keeps it loaded), then scores its partition chunk by chunk with the
same :func:`netral_nlp.batch.rows.score_chunk` as ``netral score`` and :func:`netral_nlp.score_frame`.
The model directory must be readable at the same path on every executor (a shared filesystem,
or the default model installed with the package).
"""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from .options import RESULT_COLUMNS, ModelSpec, ScoreOptions
from .rows import score_chunk

_CACHE: dict[ModelSpec, object] = {}
_LOCK = threading.Lock()


def _classifier(spec: ModelSpec):
    """One classifier per Python worker process and model spec."""
    with _LOCK:
        clf = _CACHE.get(spec)
        if clf is None:
            clf = _CACHE[spec] = spec.load()
        return clf


def result_schema():
    """The Spark types of the columns :func:`score_spark` appends."""
    from pyspark.sql.types import DoubleType, StringType, StructField

    return [StructField("label", StringType()), StructField("score", DoubleType()),
            StructField("spans", StringType()), StructField("error", StringType())]


def score_spark(sdf, text_column: str = "text", *, model: str | None = None, options: ScoreOptions | None = None,
                **settings):
    """Score a Spark DataFrame: the input columns plus ``label``, ``score``, ``spans``, ``error``.

    One output row per input row (bad rows get an ``error``, as in ``netral score``). ``model`` is
    a directory readable by every executor (default: the shipped model); a relative path is made
    absolute on the driver. Other options are the fields of
    :class:`~netral_nlp.batch.options.ScoreOptions` and :class:`~netral_nlp.batch.options.ModelSpec`
    (``options`` or keywords); ``num_threads`` sets torch's threads in each Python worker (set it
    to the cores per task to avoid oversubscription).
    """
    from pyspark.sql.types import StructType

    if model is not None:
        settings["model"] = model
    opts = ScoreOptions.build(options, text_column=text_column, **settings)
    if opts.id_column is not None:
        raise ValueError("score_spark keeps every input column; id_column does not apply")
    if text_column not in sdf.columns:
        raise ValueError(f"no column {text_column!r} (columns: {sdf.columns})")
    clash = [c for c in RESULT_COLUMNS if c in sdf.columns]
    if clash:
        raise ValueError(f"the input already has column(s) {clash}; rename or drop them first")
    path = opts.model.name_or_path
    if path is not None and Path(path).expanduser().exists():
        opts = replace(opts, model=replace(opts.model, name_or_path=str(Path(path).expanduser().resolve())))
    schema = StructType(list(sdf.schema.fields) + result_schema())
    columns = list(sdf.columns)

    def score_partition(batches):
        import pandas as pd

        clf = _classifier(opts.model)
        for pdf in batches:
            for start in range(0, len(pdf), opts.chunk_size):
                part = pdf.iloc[start:start + opts.chunk_size].reset_index(drop=True)
                scored = score_chunk(part, clf, opts)
                yield pd.concat([part[columns], scored[list(RESULT_COLUMNS)]], axis=1)

    return sdf.mapInPandas(score_partition, schema)
