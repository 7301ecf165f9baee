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
from typing import TYPE_CHECKING

from ._version import __version__
from .labels import CATEGORIES, LABELS

# Normalization is light, so it is bound eagerly. The function is exported as normalize_text so
# that netral_nlp.normalize stays the subpackage (import netral_nlp.normalize gives a module).
from .normalize import NormalizationConfig, NormalizedText, Normalizer
from .normalize import normalize as normalize_text

# What __getattr__ below loads on first use, spelled out for type checkers and IDEs (they are in
# __all__ through _LAZY, which the linter cannot see: hence the noqa).
if TYPE_CHECKING:
    from .batch.options import ModelSpec, ScoreOptions  # noqa: F401
    from .batch.rows import score_frame  # noqa: F401
    from .batch.run import score_file  # noqa: F401
    from .batch.spark import score_spark  # noqa: F401
    from .data import Example, GoldSpan, read_jsonl, write_jsonl  # noqa: F401
    from .errors import DataError, ModelNotAvailableError, NetralError  # noqa: F401
    from .evaluation.evaluate import evaluate  # noqa: F401
    from .i18n import get_language, language, set_language  # noqa: F401
    from .inference.classifier import NeutralityClassifier  # noqa: F401
    from .inference.hub import default_model_path  # noqa: F401
    from .predictions import Prediction, PredictionList, Span  # noqa: F401
    from .training.config import TrainConfig  # noqa: F401
    from .training.trainer import train  # noqa: F401

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
    "Prediction": "predictions",
    "PredictionList": "predictions",
    "Span": "predictions",
    "score_frame": "batch.rows",
    "score_file": "batch.run",
    "ScoreOptions": "batch.options",
    "ModelSpec": "batch.options",
    "score_spark": "batch.spark",
    "set_language": "i18n",
    "language": "i18n",
    "get_language": "i18n",
}

__all__ = ["CATEGORIES", "LABELS", "NormalizationConfig", "NormalizedText", "Normalizer", "normalize_text",
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
