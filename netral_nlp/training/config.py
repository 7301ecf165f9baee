"""The training recipe: :class:`TrainConfig` (read from TOML, flags or keyword arguments).

The settings the trained model carries at inference (window, stride, span decoding,
normalization) are one :class:`~netral_nlp.settings.NetralSettings`, held in
``TrainConfig.settings``; recipes and ``train(**options)`` may give them as flat keys
(``max_length = 256``) or as a ``[train.settings]`` table.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields

from ..settings import NetralSettings, normalization_from_dict
from .tokenizers import ScratchEncoder

DEFAULT_BASE_MODEL = "indobenchmark/indobert-base-p1"
SETTINGS_KEYS = ("max_length", "stride", "span_threshold", "span_merge_gap", "spans_for_neutral", "categories",
                 "normalization")  # NetralSettings fields a recipe may set
CALIBRATE_ON = ("dev", "dev-real")
PATH_KEYS = ("train", "dev", "output_dir", "test")  # recipe paths, read by the command, not here


@dataclass
class TrainConfig:
    """The training recipe. Each field is described where it is defined; a value out of range is
    a ``ValueError`` naming the field at construction (:meth:`__post_init__`)."""

    base_model: str = DEFAULT_BASE_MODEL  # the encoder to fine-tune: a directory or Hub id
    scratch: ScratchEncoder | None = None  # when set, base_model is ignored
    epochs: float = 3.0  # passes over the training set, >= 0 (fractions allowed)
    max_steps: int = -1  # optimizer steps; -1: as many as epochs make
    batch_size: int = 16  # training examples per step, >= 1
    learning_rate: float = 5e-5  # peak learning rate of the encoder, >= 0 (0 freezes it)
    head_learning_rate: float | None = None  # of the classification heads, > 0; None: learning_rate
    weight_decay: float = 0.01  # AdamW weight decay, >= 0
    warmup_ratio: float = 0.1  # share of the steps with a rising learning rate, 0-1
    dropout: float = 0.1  # dropout before the heads, 0-1
    token_loss_weight: float = 1.0  # weight of the span (token) loss against the document loss, >= 0
    threshold: float | None = None  # fixed decision threshold, 0-1; None: chosen on dev (max macro-F1)
    min_precision: float = 0.0  # ... among thresholds with at least this partisan precision (0-1)
    seed: int = 42  # of initialisation, shuffling and dropout
    settings: NetralSettings = field(default_factory=NetralSettings)  # window, spans, normalization
    model_name: str = "netral-model"  # the name written in the model card
    augment: bool = False  # add augmented copies of the training examples (see training.augment)
    augment_seed: int = 13  # of the augmented copies
    plain_style: float = 0.0  # with augment: share of examples also added lower-cased without punctuation
    obfuscate: float = 0.0  # with augment: share of examples also added with 1-3 evasions applied
    # with augment: share of the examples naming a real contestant, pair, party or ballot number that
    # are also added with invented ones (training.contestants), so that names do not decide
    rename_contestants: float = 0.0
    # Unannotated real texts from registers that are (almost) never about elections, added as
    # neutral label-only examples: {"indonlu/smsa": 500, ...} (see data.real.unannotated_negatives).
    real_negatives: dict[str, int] | None = None
    calibrate: bool = True  # fit Platt scaling of the score on the dev set
    # "dev": on all dev examples; "dev-real": on the real texts of the dev set only (real:dev),
    # when the model is meant for real posts and dev also holds hand-written ones.
    calibrate_on: str = "dev"
    # Masked-language-model pretraining of the encoder on the training texts before fine-tuning
    # (self-pretraining for a scratch encoder, domain adaptation for a pretrained one); 0 = off.
    mlm_epochs: float = 0.0
    mlm_learning_rate: float = 5e-4  # of that pretraining, > 0
    mlm_batch_size: int = 32  # texts per pretraining step, >= 1
    mlm_probability: float = 0.15  # share of the tokens masked, 0-1
    logging_steps: int = 50  # steps between loss reports, >= 1

    def __post_init__(self) -> None:
        """Refuse a value out of range now, not after training has run (``calibrate_on`` is read
        only once the model is trained)."""
        def number(name: str, low: float, high: float | None = None, *, integer: bool = False,
                   low_open: bool = False, optional: bool = False) -> None:
            value = getattr(self, name)
            if value is None and optional:
                return
            kind = int if integer else (int, float)
            ok = not isinstance(value, bool) and isinstance(value, kind)
            ok = ok and (value > low if low_open else value >= low) and (high is None or value <= high)
            if not ok:
                where = f"> {low}" if low_open else f">= {low}"
                where = f"between {low} and {high}" if high is not None else where
                raise ValueError(f"TrainConfig.{name} must be {'an integer' if integer else 'a number'} "
                                 f"{where}{' (or None)' if optional else ''}, got {value!r}")

        number("epochs", 0.0)
        number("max_steps", -1, integer=True)
        number("batch_size", 1, integer=True)
        number("learning_rate", 0.0)  # 0 is allowed: a frozen encoder (only the heads learn)
        number("head_learning_rate", 0.0, low_open=True, optional=True)
        number("weight_decay", 0.0)
        for share in ("warmup_ratio", "dropout", "min_precision", "plain_style", "obfuscate",
                      "rename_contestants", "mlm_probability"):
            number(share, 0.0, 1.0)
        number("threshold", 0.0, 1.0, optional=True)
        number("token_loss_weight", 0.0)
        number("mlm_epochs", 0.0)
        number("mlm_learning_rate", 0.0, low_open=True)
        number("mlm_batch_size", 1, integer=True)
        number("logging_steps", 1, integer=True)
        if self.calibrate_on not in CALIBRATE_ON:
            raise ValueError(f"TrainConfig.calibrate_on must be one of {CALIBRATE_ON}, got {self.calibrate_on!r}")
        if self.real_negatives is not None and not (
                isinstance(self.real_negatives, dict)
                and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in self.real_negatives.values())):
            raise ValueError("TrainConfig.real_negatives must map a corpus name to a count >= 0, "
                             f"got {self.real_negatives!r}")

    @classmethod
    def from_toml(cls, path: str | os.PathLike, **overrides) -> TrainConfig:
        """Read a TOML recipe (see ``models/netral-mini.toml``); paths in it stay as written."""
        raw = read_recipe(path)
        return cls.from_dict({**raw, **{k: v for k, v in overrides.items() if v is not None}})

    @classmethod
    def from_dict(cls, raw: dict) -> TrainConfig:
        """From flat keys (as :meth:`to_dict` writes them); unknown keys are an error."""
        raw = {k: v for k, v in raw.items() if k not in PATH_KEYS}
        scratch = raw.pop("scratch", None)
        nested = raw.pop("settings", None) or {}
        if isinstance(nested, NetralSettings):
            nested = {k: getattr(nested, k) for k in SETTINGS_KEYS}
        given = {**nested, **{k: raw.pop(k) for k in SETTINGS_KEYS if k in raw}}
        unknown = sorted((set(raw) - {f.name for f in fields(cls)}) | (set(given) - set(SETTINGS_KEYS)))
        if unknown:
            raise ValueError(f"unknown training options: {unknown}")
        if "normalization" in given:
            given["normalization"] = normalization_from_dict(given["normalization"])
        settings = NetralSettings(**given)
        settings.validate()
        cfg = cls(settings=settings, **raw)
        if scratch:
            cfg.scratch = ScratchEncoder(**scratch) if isinstance(scratch, dict) else ScratchEncoder()
        return cfg

    def to_dict(self) -> dict:
        """Flat keys: the training options, then the settings a recipe may set."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "settings"}
        d["scratch"] = asdict(self.scratch) if self.scratch else None
        for k in SETTINGS_KEYS:
            d[k] = getattr(self.settings, k)
        d["normalization"] = self.settings.normalization.to_dict()
        return d


def read_recipe(path: str | os.PathLike) -> dict:
    """The ``[train]`` table of a TOML recipe (the whole file when it has none)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    return raw.get("train", raw)
