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
    base_model: str = DEFAULT_BASE_MODEL
    scratch: ScratchEncoder | None = None  # when set, base_model is ignored
    epochs: float = 3.0
    max_steps: int = -1
    batch_size: int = 16
    learning_rate: float = 5e-5
    head_learning_rate: float | None = None  # defaults to learning_rate
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    dropout: float = 0.1
    token_loss_weight: float = 1.0
    threshold: float | None = None  # fixed decision threshold; None: chosen on dev (max macro-F1)
    min_precision: float = 0.0  # ... among thresholds with at least this partisan precision
    seed: int = 42
    settings: NetralSettings = field(default_factory=NetralSettings)  # window, spans, normalization
    model_name: str = "netral-model"
    augment: bool = False  # add augmented copies of the training examples (see training.augment)
    augment_seed: int = 13
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
    mlm_learning_rate: float = 5e-4
    mlm_batch_size: int = 32
    mlm_probability: float = 0.15
    logging_steps: int = 50

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
        if cfg.calibrate_on not in CALIBRATE_ON:
            raise ValueError(f"calibrate_on must be one of {CALIBRATE_ON}, got {cfg.calibrate_on!r}")
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
