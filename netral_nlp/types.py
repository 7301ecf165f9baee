"""Result types returned by :meth:`NeutralityClassifier.predict`."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A highlighted part of the input: ``text[start:end] == span.text`` in the ORIGINAL text."""

    start: int
    end: int
    text: str
    category: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Prediction:
    """The label of one text, P(partisan), and the spans that triggered it."""

    text: str
    label: str
    score: float
    spans: list[Span] = field(default_factory=list)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label, "score": self.score,
                             "spans": [s.to_dict() for s in self.spans]}
        if include_text:
            d = {"text": self.text, **d}
        return d

    def _repr_html_(self) -> str:
        from .display import prediction_html

        return prediction_html(self)


class PredictionList(list):
    """A plain ``list`` of :class:`Prediction` that renders as a table in a notebook."""

    def _repr_html_(self) -> str:
        from .display import predictions_table_html

        return predictions_table_html(self)

    def to_records(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self]
