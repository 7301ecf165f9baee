"""The netral-specific settings stored under ``"netral"`` in a model's ``config.json``."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .labels import CATEGORIES, LABELS, bio_tags
from .normalize import NormalizationConfig

FORMAT_VERSION = 1


@dataclass
class NetralSettings:
    labels: list[str] = field(default_factory=lambda: list(LABELS))
    categories: list[str] = field(default_factory=lambda: list(CATEGORIES))
    threshold: float = 0.5  # P(partisan) at or above which a text is labelled partisan
    span_threshold: float = 0.5  # 1 - P(O) at or above which a token is inside a span
    span_merge_gap: int = 0  # merge same-category spans at most this many characters apart
    max_length: int = 256  # tokens per window, special tokens included
    stride: int = 64  # tokens of overlap between consecutive windows
    spans_for_neutral: bool = False  # also report spans for texts labelled neutral
    normalization: NormalizationConfig = field(default_factory=NormalizationConfig)
    format_version: int = FORMAT_VERSION

    @property
    def tags(self) -> list[str]:
        return bio_tags(self.categories)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["normalization"] = self.normalization.to_dict()
        d["tags"] = self.tags
        return d

    @classmethod
    def from_dict(cls, d: dict) -> NetralSettings:
        d = dict(d)
        d.pop("tags", None)
        norm = NormalizationConfig.from_dict(d.pop("normalization", None))
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        s = cls(normalization=norm, **known)
        if s.labels != list(LABELS):
            raise ValueError(f"unsupported labels {s.labels}; expected {list(LABELS)}")
        return s
