"""netral-nlp: detect partisan posts by Indonesian civil servants (ASN) and highlight why.

>>> from netral_nlp import NeutralityClassifier
>>> clf = NeutralityClassifier.from_pretrained()           # doctest: +SKIP
>>> clf.predict("Ayo coblos nomor 2!").label               # doctest: +SKIP
'partisan'
"""
from __future__ import annotations

from .classifier import ModelNotAvailableError, NeutralityClassifier, default_model_path
from .data import DataError, Example, GoldSpan, read_jsonl, write_jsonl
from .evaluation import evaluate
from .labels import CATEGORIES, LABELS
from .normalize import NormalizationConfig, NormalizedText, Normalizer, normalize
from .training import TrainConfig, train
from .types import Prediction, PredictionList, Span

__version__ = "0.1.0"

__all__ = [
    "CATEGORIES", "LABELS", "DataError", "Example", "GoldSpan", "ModelNotAvailableError",
    "NeutralityClassifier", "NormalizationConfig", "NormalizedText", "Normalizer", "Prediction",
    "PredictionList", "Span", "TrainConfig", "default_model_path", "evaluate", "normalize",
    "read_jsonl", "train", "write_jsonl", "__version__",
]


def __getattr__(name: str):
    if name == "score_frame":  # imported lazily: pulls in pandas
        from .scoring import score_frame

        return score_frame
    raise AttributeError(f"module 'netral_nlp' has no attribute {name!r}")
