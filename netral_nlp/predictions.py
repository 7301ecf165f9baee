"""Result types returned by :meth:`NeutralityClassifier.predict`, and the one span (de)serialiser.

A span is written as ``{"start", "end", "text", "category", "score"}`` everywhere: in
:meth:`Prediction.to_dict`, in the ``spans`` column of ``netral score`` (a JSON string) and in the
report's saved state; :func:`spans_from_records` reads any of them back.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
        return span_record(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Span:
        return cls(int(d["start"]), int(d["end"]), d.get("text", ""), d["category"], d.get("score", 0.0))


def span_record(s) -> dict[str, Any]:
    """One span (a :class:`Span` or any object with its attributes) as a JSON-ready dict."""
    return {"start": int(s.start), "end": int(s.end), "text": s.text, "category": s.category,
            "score": round(float(s.score), 6)}


def spans_to_json(spans: Iterable) -> str:
    """Spans as the JSON string of the ``spans`` column."""
    return json.dumps([span_record(s) for s in spans], ensure_ascii=False)


def spans_from_records(records: Iterable[Mapping[str, Any]] | str | None) -> list[Span]:
    """Spans from dicts, or from the JSON string of a ``spans`` column (None and ``""``: none)."""
    if records is None or records == "":
        return []
    if isinstance(records, str):
        records = json.loads(records)
    return [Span.from_dict(r) for r in records]


@dataclass
class Prediction:
    """The label of one text, P(partisan), and the spans that triggered it."""

    text: str
    label: str
    score: float
    spans: list[Span] = field(default_factory=list)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label, "score": self.score,
                             "spans": [span_record(s) for s in self.spans]}
        if include_text:
            d = {"text": self.text, **d}
        return d

    def _repr_html_(self) -> str:
        from .render.display import prediction_html

        return prediction_html(self)


class PredictionList(list):
    """A plain ``list`` of :class:`Prediction` that renders as a table in a notebook."""

    def _repr_html_(self) -> str:
        from .render.display import predictions_table_html

        return predictions_table_html(self)

    def to_records(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self]
