"""Training stage: fine-tune an encoder jointly on document labels and span tags.

``train()`` turns JSONL examples into token windows (``encoding``), trains :class:`NetralModel`
with the Hugging Face ``Trainer``, picks the decision threshold on the dev set, and writes a
self-contained model directory with a generated model card.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import tomllib
import torch

from .data import Example, as_examples
from .encoding import IGNORE_INDEX, normalized_spans, tags_for_window, window_texts
from .labels import PARTISAN
from .modeling import NetralModel, load_encoder
from .normalize import NormalizationConfig, Normalizer
from .settings import NetralSettings

DEFAULT_BASE_MODEL = "indobenchmark/indobert-base-p1"


@dataclass
class ScratchEncoder:
    """Encoder built from scratch on the training texts instead of a pretrained base model."""

    vocab_size: int = 8000
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 1024
    max_position_embeddings: int = 512


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
    max_length: int = 256
    stride: int = 64
    span_threshold: float = 0.5  # decoding only (see NetralSettings)
    span_merge_gap: int = 0  # decoding only (see NetralSettings)
    threshold: float | None = None  # None: chosen on dev (max macro-F1, precision floor below)
    min_precision: float = 0.0
    seed: int = 42
    normalization: NormalizationConfig = field(default_factory=NormalizationConfig)
    model_name: str = "netral-model"
    augment: bool = False  # add augmented copies of the training examples (see netral_nlp.augment)
    augment_seed: int = 13
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
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
        raw = raw.get("train", raw)
        return cls.from_dict({**raw, **{k: v for k, v in overrides.items() if v is not None}})

    @classmethod
    def from_dict(cls, raw: dict) -> TrainConfig:
        raw = dict(raw)
        for k in ("train", "dev", "output_dir", "test"):
            raw.pop(k, None)
        scratch = raw.pop("scratch", None)
        norm = raw.pop("normalization", None)
        unknown = set(raw) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown training options: {sorted(unknown)}")
        cfg = cls(**raw)
        if scratch:
            cfg.scratch = ScratchEncoder(**scratch) if isinstance(scratch, dict) else ScratchEncoder()
        if norm is not None:
            cfg.normalization = NormalizationConfig.from_dict(norm) if isinstance(norm, dict) else norm
        return cfg

    def to_dict(self) -> dict:
        d = asdict(self)
        d["normalization"] = self.normalization.to_dict()
        return d


@dataclass
class TrainResult:
    output_dir: Path
    dev_metrics: dict | None
    train_seconds: float
    train_windows: int


def featurize(examples: list[Example], tokenizer, settings: NetralSettings) -> list[dict]:
    """Token windows with a document label (is this window partisan?) and BIO tags per token.

    A window of a partisan text is labelled partisan when it contains part of a gold span (or
    when the text has no span annotation at all); other windows are neutral, because the
    document score is the maximum over windows. Label-only examples (``spans is None``) get no
    token loss.
    """
    normalizer = Normalizer(settings.normalization)
    cat_index = {c: i for i, c in enumerate(settings.categories)}
    norms = [normalizer(e.text) for e in examples]
    windows = window_texts(tokenizer, [n.text for n in norms], settings.max_length, settings.stride)
    feats = []
    for w in windows:
        ex = examples[w.doc]
        is_partisan = ex.label == PARTISAN
        if ex.spans is None:
            tags = [IGNORE_INDEX] * len(w)
            label = int(is_partisan)
        else:
            spans = normalized_spans(norms[w.doc], ex.spans, cat_index) if is_partisan else []
            tags = tags_for_window(w, spans)
            label = int(is_partisan and (not spans or any(t > 0 for t in tags)))
        f = {"input_ids": w.input_ids, "labels": label, "tag_labels": tags, "length": len(w)}
        if w.token_type_ids is not None:
            f["token_type_ids"] = w.token_type_ids
        feats.append(f)
    return feats


class Collator:
    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, batch: list[dict]) -> dict[str, torch.Tensor]:
        n = max(len(b["input_ids"]) for b in batch)
        out = {
            "input_ids": torch.full((len(batch), n), self.pad_id, dtype=torch.long),
            "attention_mask": torch.zeros((len(batch), n), dtype=torch.long),
            "tag_labels": torch.full((len(batch), n), IGNORE_INDEX, dtype=torch.long),
            "labels": torch.tensor([b["labels"] for b in batch], dtype=torch.long),
        }
        if "token_type_ids" in batch[0]:
            out["token_type_ids"] = torch.zeros((len(batch), n), dtype=torch.long)
        for r, b in enumerate(batch):
            k = len(b["input_ids"])
            out["input_ids"][r, :k] = torch.tensor(b["input_ids"])
            out["attention_mask"][r, :k] = 1
            out["tag_labels"][r, :k] = torch.tensor(b["tag_labels"])
            if "token_type_ids" in out:
                out["token_type_ids"][r, :k] = torch.tensor(b["token_type_ids"])
        return out


def _prepare_encoder(cfg: TrainConfig, train_examples: list[Example], workdir: Path) -> str:
    if cfg.scratch is None:
        return cfg.base_model
    from .scratch import build_scratch_encoder

    return str(build_scratch_encoder([e.text for e in train_examples], workdir / "encoder",
                                     **asdict(cfg.scratch), seed=cfg.seed, normalization=cfg.normalization))


class _MaskedOnlyMLM(torch.nn.Module):
    """MLM loss with the vocabulary projection applied to the masked positions only (about 15%
    of tokens): the full-vocabulary logits for every token would dominate the step time."""

    def __init__(self, mlm_model):
        super().__init__()
        self.mlm = mlm_model
        self.config = mlm_model.config
        self.head = getattr(mlm_model, "cls", None) or getattr(mlm_model, "lm_head", None)
        if self.head is None:
            raise ValueError(f"{type(mlm_model).__name__}: no masked-LM head found (expected .cls or .lm_head)")

    def forward(self, input_ids, attention_mask=None, labels=None, token_type_ids=None):
        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if token_type_ids is not None:
            kwargs["token_type_ids"] = token_type_ids
        hidden = self.mlm.base_model(**kwargs).last_hidden_state
        picked = labels != IGNORE_INDEX
        logits = self.head(hidden[picked])
        return {"loss": torch.nn.functional.cross_entropy(logits.float(), labels[picked])}


def pretrain_mlm(base: str, texts: list[str], output_dir: Path, cfg: TrainConfig, progress: bool = True) -> list[dict]:
    """Masked-language-model training of ``base`` on ``texts`` (normalized and windowed the way
    fine-tuning sees them); writes the adapted encoder and its tokenizer to ``output_dir`` and
    returns the training log."""
    from datasets import Dataset
    from transformers import (
        AutoModelForMaskedLM,
        AutoTokenizer,
        DataCollatorForLanguageModeling,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    set_seed(cfg.seed)
    tokenizer = AutoTokenizer.from_pretrained(base, trust_remote_code=False)
    model = AutoModelForMaskedLM.from_pretrained(base, trust_remote_code=False)
    normalizer = Normalizer(cfg.normalization)
    limit = min(cfg.max_length, getattr(model.config, "max_position_embeddings", cfg.max_length))
    windows = window_texts(tokenizer, [normalizer(t).text for t in texts], limit, 0)
    dataset = Dataset.from_list([{"input_ids": w.input_ids} for w in windows])
    steps = math.ceil(math.ceil(len(windows) / cfg.mlm_batch_size) * cfg.mlm_epochs)
    args = TrainingArguments(
        output_dir=str(output_dir / "mlm-trainer"), per_device_train_batch_size=cfg.mlm_batch_size,
        num_train_epochs=cfg.mlm_epochs, learning_rate=cfg.mlm_learning_rate, weight_decay=cfg.weight_decay,
        warmup_steps=int(cfg.warmup_ratio * steps), lr_scheduler_type="linear", logging_steps=cfg.logging_steps,
        save_strategy="no", eval_strategy="no", report_to="none", seed=cfg.seed, data_seed=cfg.seed,
        use_cpu=not torch.cuda.is_available(), dataloader_num_workers=0, disable_tqdm=not progress,
        train_sampling_strategy="group_by_length",  # lengths are read from input_ids
    )
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=cfg.mlm_probability)
    trainer = Trainer(model=_MaskedOnlyMLM(model), args=args, train_dataset=dataset, data_collator=collator)
    trainer.train()
    model.base_model.save_pretrained(output_dir, safe_serialization=True)
    tokenizer.save_pretrained(output_dir)
    return [dict(entry) for entry in trainer.state.log_history]


def train(train_data, dev_data=None, *, output_dir: str | os.PathLike, config: TrainConfig | None = None,
          progress: bool = True, **options) -> TrainResult:
    """Fine-tune an encoder and write a netral-nlp model directory to ``output_dir``.

    ``train_data`` / ``dev_data``: JSONL paths or lists of examples (dicts in the JSONL format).
    Options are the fields of :class:`TrainConfig` (``base_model``, ``epochs``, ``batch_size``,
    ``learning_rate``, ``max_length``, ``stride``, ``token_loss_weight``, ``seed`` ...).
    """
    from datasets import Dataset
    from transformers import AutoTokenizer, Trainer, TrainingArguments, set_seed

    from .classifier import NeutralityClassifier
    from .evaluation import evaluate

    cfg = config or TrainConfig()
    if options:
        cfg = TrainConfig.from_dict({**cfg.to_dict(), **options})
    original_examples = train_examples = as_examples(train_data)
    if cfg.augment:
        from .augment import augment

        train_examples = train_examples + augment(train_examples, seed=cfg.augment_seed)
    dev_examples = as_examples(dev_data) if dev_data is not None else None
    out = Path(output_dir)
    set_seed(cfg.seed)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="netral-train-") as tmp:
        workdir = Path(tmp)
        base = _prepare_encoder(cfg, train_examples, workdir)
        mlm_log = None
        if cfg.mlm_epochs > 0:
            mlm_log = pretrain_mlm(base, [e.text for e in original_examples], workdir / "mlm", cfg, progress)
            base = str(workdir / "mlm")
        offline = os.environ.get("HF_HUB_OFFLINE") == "1"
        try:
            tokenizer = AutoTokenizer.from_pretrained(base, trust_remote_code=False)
            encoder = load_encoder(base, trust_remote_code=False)
        except OSError as err:
            raise OSError(
                f"could not load base model {base!r}: {err}. "
                + ("HF_HUB_OFFLINE=1 is set: " if offline else "")
                + "without access to the Hugging Face Hub, pass a local encoder directory."
            ) from err
        window_limit = min(cfg.max_length, getattr(encoder.config, "max_position_embeddings", cfg.max_length))
        settings = NetralSettings(max_length=window_limit, stride=cfg.stride, span_threshold=cfg.span_threshold,
                                  span_merge_gap=cfg.span_merge_gap, normalization=cfg.normalization)
        model = NetralModel(encoder, len(settings.labels), len(settings.tags), cfg.dropout, cfg.token_loss_weight)
        feats = featurize(train_examples, tokenizer, settings)
        dataset = Dataset.from_list(feats)
        steps_per_epoch = math.ceil(len(feats) / cfg.batch_size)
        total = cfg.max_steps if cfg.max_steps > 0 else math.ceil(steps_per_epoch * cfg.epochs)
        args = TrainingArguments(
            output_dir=str(workdir / "trainer"),
            per_device_train_batch_size=cfg.batch_size,
            num_train_epochs=cfg.epochs,
            max_steps=cfg.max_steps,
            learning_rate=cfg.learning_rate,
            weight_decay=cfg.weight_decay,
            warmup_steps=int(cfg.warmup_ratio * total),
            lr_scheduler_type="linear",
            logging_steps=cfg.logging_steps,
            save_strategy="no",
            eval_strategy="no",
            report_to="none",
            seed=cfg.seed,
            data_seed=cfg.seed,
            use_cpu=not torch.cuda.is_available(),
            remove_unused_columns=False,
            label_names=["labels", "tag_labels"],
            dataloader_num_workers=0,
            disable_tqdm=not progress,
            train_sampling_strategy="group_by_length",  # batches of similar length: little padding
            length_column_name="length",
        )
        optimizers = (None, None)
        if cfg.head_learning_rate:
            heads = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
            enc = [p for n, p in model.named_parameters() if n.startswith("encoder.")]
            opt = torch.optim.AdamW([{"params": enc, "lr": cfg.learning_rate},
                                     {"params": heads, "lr": cfg.head_learning_rate}],
                                    weight_decay=cfg.weight_decay)
            from transformers import get_linear_schedule_with_warmup

            optimizers = (opt, get_linear_schedule_with_warmup(opt, int(cfg.warmup_ratio * total), total))
        trainer = Trainer(model=model, args=args, train_dataset=dataset,
                          data_collator=Collator(tokenizer.pad_token_id or 0), optimizers=optimizers)
        trainer.train()
        model.eval()
        clf = NeutralityClassifier(model, tokenizer, settings, device=next(model.parameters()).device,
                                   name=cfg.model_name)
        dev_metrics = None
        if cfg.threshold is not None:
            settings.threshold = cfg.threshold
        if dev_examples:
            from .metrics import best_threshold

            scores = clf.predict_proba([e.text for e in dev_examples], batch_size=32)
            y = [int(e.label == PARTISAN) for e in dev_examples]
            if cfg.threshold is None:
                settings.threshold = best_threshold(y, scores, cfg.min_precision)
            dev_metrics = evaluate(clf, dev_examples)
        model.to("cpu")
        clf.device = torch.device("cpu")
        if out.exists():
            for name in ("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json",
                         "special_tokens_map.json", "vocab.txt", "training.json"):
                (out / name).unlink(missing_ok=True)
        clf.save_pretrained(out)
    elapsed = time.time() - started
    info = {"config": cfg.to_dict(), "dev_metrics": dev_metrics, "train_examples": len(train_examples),
            "train_windows": len(feats), "train_seconds": round(elapsed, 1),
            "torch": torch.__version__, "log": trainer.state.log_history, "mlm_log": mlm_log}
    (out / "training.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
    from .card import write_model_card

    write_model_card(out, cfg, dev_metrics, len(train_examples), len(dev_examples or []), elapsed)
    return TrainResult(out, dev_metrics, elapsed, len(feats))


def copy_model(src: str | os.PathLike, dst: str | os.PathLike) -> Path:
    """Copy a model directory (config, weights, tokenizer, card)."""
    shutil.copytree(src, dst, dirs_exist_ok=True)
    return Path(dst)
