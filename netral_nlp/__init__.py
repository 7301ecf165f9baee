"""netral-nlp: detect partisan posts by Indonesian civil servants (ASN) and highlight why.

>>> from netral_nlp import NeutralityClassifier
>>> clf = NeutralityClassifier.from_pretrained()           # doctest: +SKIP
>>> clf.predict("Ayo coblos nomor 2!").label               # doctest: +SKIP
'partisan'

Importing the package is cheap: the public names below are loaded on first use, so torch,
transformers and pandas are imported only when a classifier, training or batch scoring is used.
"""
from __future__ import annotations

import importlib

from ._version import __version__
from .labels import CATEGORIES, LABELS

# normalize is light and must be bound here: its module and its function share a name
from .normalize import NormalizationConfig, NormalizedText, Normalizer, normalize

_LAZY = {  # public name -> module that defines it
    "NeutralityClassifier": "inference.classifier",
    "default_model_path": "inference.hub",
    "ModelNotAvailableError": "errors",
    "DataError": "errors",
    "NetralError": "errors",
    "Example": "data",
    "GoldSpan": "data",
    "read_jsonl": "data",
    "write_jsonl": "data",
    "evaluate": "evaluation.evaluate",
    "TrainConfig": "training.config",
    "train": "training.trainer",
    "Prediction": "types",
    "PredictionList": "types",
    "Span": "types",
    "score_frame": "batch.rows",
    "score_spark": "batch.spark",
    "set_language": "i18n",
    "language": "i18n",
    "get_language": "i18n",
}

__all__ = ["CATEGORIES", "LABELS", "NormalizationConfig", "NormalizedText", "Normalizer", "normalize",
           "__version__", *_LAZY]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'netral_nlp' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
