"""The netral-specific settings stored under ``"netral"`` in a model's ``config.json``.

Strict and versioned: an unknown key, a tag list that does not match the categories, or a
``format_version`` newer than this library reads is an error, not something silently dropped.
Older model directories (without ``format_version`` or without newer keys) load with defaults.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from .labels import CATEGORIES, LABELS, TagScheme
from .normalize import OFF_WHEN_ABSENT, NormalizationConfig

FORMAT_VERSION = 2  # 2: calibration


@dataclass
class NetralSettings:
    labels: list[str] = field(default_factory=lambda: list(LABELS))
    categories: list[str] = field(default_factory=lambda: list(CATEGORIES))
    threshold: float = 0.5  # P(partisan) at or above which a text is labelled partisan
    # Platt scaling of the document log-odds, fitted on dev: P = sigmoid(scale * z + bias).
    calibration: list[float] = field(default_factory=lambda: [1.0, 0.0])
    span_threshold: float = 0.5  # 1 - P(O) at or above which a token is inside a span
    span_merge_gap: int = 0  # merge same-category spans at most this many characters apart
    max_length: int = 256  # tokens per window, special tokens included
    stride: int = 64  # tokens of overlap between consecutive windows
    spans_for_neutral: bool = False  # also report spans for texts labelled neutral
    normalization: NormalizationConfig = field(default_factory=NormalizationConfig)
    format_version: int = FORMAT_VERSION

    @property
    def scheme(self) -> TagScheme:
        return TagScheme(tuple(self.categories))

    @property
    def tags(self) -> list[str]:
        return self.scheme.tags

    def to_dict(self) -> dict:
        d = asdict(self)
        d["normalization"] = self.normalization.to_dict()
        d["tags"] = self.tags
        return d

    @classmethod
    def from_dict(cls, d: dict) -> NetralSettings:
        d = dict(d)
        version = d.get("format_version", 1)  # directories from before the field was written
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValueError(f"netral settings: format_version must be a positive integer, got {version!r}")
        if version > FORMAT_VERSION:
            raise ValueError(f"this model was written by a newer netral-nlp (settings format {version}; this "
                             f"version reads up to {FORMAT_VERSION}): upgrade netral-nlp to load it")
        tags = d.pop("tags", None)
        norm = d.pop("normalization", None)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"netral settings: unknown key(s) {unknown}; known: {sorted(known | {'tags'})}")
        if isinstance(norm, dict) or norm is None:  # a model saved before a reading switch existed: off
            norm = {**dict.fromkeys(OFF_WHEN_ABSENT, False), **(norm or {})}
        s = cls(normalization=normalization_from_dict(norm), **d)
        s.format_version = FORMAT_VERSION
        if tags is not None and list(tags) != s.tags:
            raise ValueError(f"netral settings: tags {tags} do not match the categories {s.categories}")
        s.validate()
        return s

    def validate(self) -> None:
        """Raise ``ValueError`` unless the values make sense together."""
        if list(self.labels) != list(LABELS):
            raise ValueError(f"unsupported labels {self.labels}; expected {list(LABELS)}")
        if not self.categories or len(set(self.categories)) != len(self.categories):
            raise ValueError(f"categories must be distinct and not empty, got {self.categories}")
        for name in ("threshold", "span_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if len(self.calibration) != 2 or not self.calibration[0] > 0:
            raise ValueError(f"calibration must be [scale > 0, bias], got {self.calibration}")
        if self.span_merge_gap < 0:
            raise ValueError(f"span_merge_gap must be >= 0, got {self.span_merge_gap}")


def check_overrides(*, threshold: float | None = None, max_length: int | None = None,
                    stride: int | None = None) -> None:
    """Raise ``ValueError`` naming the field unless each override given (None: keep the model's)
    is in range; run before a model is looked up, so a bad value costs nothing."""
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))
                                  or not 0.0 <= threshold <= 1.0):
        raise ValueError(f"threshold must be a number between 0 and 1, got {threshold!r}")
    for name, value, low in (("max_length", max_length, 3), ("stride", stride, 0)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < low):
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    if max_length is not None and stride is not None and stride >= max_length:
        raise ValueError(f"stride must be smaller than max_length, got stride={stride}, max_length={max_length}")


def normalization_from_dict(d: dict | None) -> NormalizationConfig:
    """A :class:`NormalizationConfig` from its dict, refusing unknown switches."""
    if d is None:
        return NormalizationConfig()
    if isinstance(d, NormalizationConfig):
        return d
    unknown = sorted(set(d) - {f.name for f in fields(NormalizationConfig)})
    if unknown:
        raise ValueError(f"unknown normalization setting(s) {unknown}")
    return NormalizationConfig.from_dict(d)
