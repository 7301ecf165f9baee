"""The options of batch scoring, validated in one place: :class:`ScoreOptions` (how rows are
read and scored) holding a :class:`ModelSpec` (which model to load and how).

The Python entry points accept them as keyword arguments too
(``score_frame(df, chunk_size=500, quantize=True)``); :meth:`ScoreOptions.build` sorts such
keywords into the two objects and rejects unknown ones.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace

from ..i18n import LANGUAGES
from ..settings import check_overrides

DEFAULT_CHUNK_SIZE = 2000
DEFAULT_MAX_CHARS = 100_000
RESULT_COLUMNS = ("label", "score", "spans", "error")
ROW_COLUMN = "row"


@dataclass(frozen=True)
class ModelSpec:
    """Which model to load and how: the loading options shared by every batch entry point."""

    name_or_path: str | os.PathLike | None = None  # a directory or Hub id; None: the shipped model
    quantize: bool | str = False  # see NeutralityClassifier.from_pretrained
    max_length: int | None = None  # tokens per window (None: the model's)
    stride: int | None = None  # window overlap in tokens (None: the model's)
    num_threads: int | None = None  # torch.set_num_threads before loading (None: leave it)

    def __post_init__(self) -> None:
        check_overrides(max_length=self.max_length, stride=self.stride)
        if self.num_threads is not None and self.num_threads < 1:
            raise ValueError(f"threads (num_threads) must be >= 1, got {self.num_threads!r}")

    def apply_threads(self) -> None:
        if self.num_threads is not None:
            import torch

            torch.set_num_threads(self.num_threads)

    def load(self):
        """The :class:`~netral_nlp.inference.classifier.NeutralityClassifier` this spec names."""
        self.apply_threads()
        from ..inference.classifier import NeutralityClassifier

        return NeutralityClassifier.from_pretrained(self.name_or_path, quantize=self.quantize,
                                                    max_length=self.max_length, stride=self.stride)


@dataclass(frozen=True)
class ScoreOptions:
    """How rows are read and scored; raises ``ValueError`` on values that make no sense."""

    text_column: str | None = "text"  # None (files only): "text", else an obvious one (batch.columns)
    id_column: str | None = None  # None: "id" when the input has it (files), else a "row" column
    batch_size: int = 32  # windows per forward pass
    threshold: float | None = None  # decision threshold on P(partisan) (None: the model's)
    chunk_size: int = DEFAULT_CHUNK_SIZE  # rows read, scored and written at a time
    max_chars: int = DEFAULT_MAX_CHARS  # longer texts get an error instead of a score
    model: ModelSpec = field(default_factory=ModelSpec)
    sheet: str | int | None = None  # .xlsx input: sheet name or 0-based index (None: the first)
    lang: str | None = None  # language of the report and messages, id | en (None: netral_nlp.i18n's)
    encoding: str | None = None  # CSV/TSV/JSONL input: the codec (None: detected, batch.io.encoding)

    def __post_init__(self) -> None:
        for name, text in (("batch_size", "batch size"), ("chunk_size", "chunk size"), ("max_chars", "max chars")):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{text} ({name}) must be an integer >= 1, got {value!r}")
        check_overrides(threshold=self.threshold)
        if self.lang is not None and self.lang not in LANGUAGES:
            raise ValueError(f"unknown language {self.lang!r}; use one of {', '.join(LANGUAGES)}")
        if self.id_column is not None and self.id_column in RESULT_COLUMNS:
            raise ValueError(f"the id column cannot be called {self.id_column!r}: it is an output column")

    @classmethod
    def build(cls, options: ScoreOptions | None = None, **settings) -> ScoreOptions:
        """``options`` (default: the defaults) with ``settings`` applied: fields of this class or
        of :class:`ModelSpec` (``model`` may be a directory, a Hub id or a ModelSpec)."""
        base = options or cls()
        own = {f.name for f in fields(cls)} - {"model"}
        spec_fields = {f.name for f in fields(ModelSpec)} - {"name_or_path"}
        unknown = sorted(set(settings) - own - spec_fields - {"model"})
        if unknown:
            raise TypeError(f"unexpected scoring option(s) {unknown}; expected some of "
                            f"{sorted(own | spec_fields | {'model'})}")
        spec = base.model
        if "model" in settings:
            m = settings["model"]
            spec = m if isinstance(m, ModelSpec) else replace(spec, name_or_path=m)
        spec = replace(spec, **{k: v for k, v in settings.items() if k in spec_fields})
        return replace(base, model=spec, **{k: v for k, v in settings.items() if k in own})
