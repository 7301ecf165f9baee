"""Training stage: fine-tune an encoder jointly on document labels and span tags.

``train()`` turns JSONL examples into token windows (:mod:`.features`), trains
:class:`~netral_nlp.modeling.NetralModel` with the Hugging Face ``Trainer``, picks the decision
threshold on the dev set, and writes a self-contained model directory with a generated model card.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import torch

from ..data import Example
from ..data.real import is_real
from ..data.sources import load_examples
from ..inference.windows import collate
from ..labels import PARTISAN
from ..modeling import NetralModel, load_encoder, max_window_tokens
from .config import TrainConfig
from .features import featurize
from .pretraining import pretrain_mlm


@dataclass
class TrainResult:
    output_dir: Path
    dev_metrics: dict | None
    train_seconds: float
    train_windows: int


def _prepare_encoder(cfg: TrainConfig, train_examples: list[Example], workdir: Path) -> str:
    if cfg.scratch is None:
        return cfg.base_model
    from .tokenizers import build_scratch_encoder

    return str(build_scratch_encoder([e.text for e in train_examples], workdir / "encoder", cfg.scratch,
                                     seed=cfg.seed, normalization=cfg.settings.normalization))


def fit_calibration(clf, texts: list[str], y: list[int]) -> list[float]:
    """Platt scaling [scale, bias] of the document log-odds on (texts, y), e.g. the dev set:
    P(partisan) = sigmoid(scale * z + bias). [1, 0] (no change) when it cannot be fitted (one
    class only, or a fit that would reverse the order of the scores)."""
    if len(set(y)) < 2 or min(y.count(0), y.count(1)) < 2:
        return [1.0, 0.0]
    z, _ = clf.score_windows([clf.normalizer(t).text for t in texts], log_odds=True)
    return fit_calibration_on_log_odds(z, y)


def fit_calibration_on_log_odds(z, y: list[int]) -> list[float]:
    """:func:`fit_calibration` on log-odds already computed (one per text)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if len(set(y)) < 2 or min(y.count(0), y.count(1)) < 2:
        return [1.0, 0.0]
    lr = LogisticRegression(C=1e4, max_iter=1000).fit(np.asarray(z).reshape(-1, 1), y)
    scale, bias = float(lr.coef_[0][0]), float(lr.intercept_[0])
    return [round(scale, 6), round(bias, 6)] if scale > 0 else [1.0, 0.0]


def calibration_examples(dev_examples: list, calibrate_on: str = "dev") -> list:
    """The dev examples the score is calibrated on: all, or (``"dev-real"``) the real texts only."""
    if calibrate_on == "dev":
        return list(dev_examples)
    if calibrate_on == "dev-real":
        real = [e for e in dev_examples if is_real(e)]
        if not real:
            raise ValueError('calibrate_on = "dev-real" but the dev set holds no real texts (add real:dev)')
        return real
    raise ValueError(f"unknown calibrate_on {calibrate_on!r}")


def train(train_data, dev_data=None, *, output_dir: str | os.PathLike, config: TrainConfig | None = None,
          progress: bool = True, corpora: str | os.PathLike | None = None, **options) -> TrainResult:
    """Fine-tune an encoder and write a netral-nlp model directory to ``output_dir``.

    ``train_data`` / ``dev_data``: JSONL paths, ``"real:<split>"``, lists of those, or lists of
    examples (dicts in the JSONL format). Real texts (``real:<split>``, ``real_negatives``) are read
    from the corpora folder ``corpora`` (default: :func:`netral_nlp.data.real.corpora_dir`'s lookup;
    ``netral data fetch`` builds it).
    Options are the fields of :class:`TrainConfig` (``base_model``, ``epochs``, ``batch_size``,
    ``learning_rate``, ``max_length``, ``stride``, ``token_loss_weight``, ``seed`` ...).
    """
    from datasets import Dataset
    from transformers import AutoTokenizer, Trainer, TrainingArguments, set_seed

    from ..evaluation.evaluate import evaluate
    from ..inference.classifier import NeutralityClassifier

    cfg = config or TrainConfig()
    if options:
        cfg = TrainConfig.from_dict({**cfg.to_dict(), **options})
    original_examples = train_examples = load_examples(train_data, corpora)
    n_real = sum(map(is_real, original_examples))
    data = {"hand_written": len(original_examples) - n_real, "real_annotated": n_real, "augmented": 0,
            "real_negatives": 0}
    if cfg.augment:
        from .augment import augment

        train_examples = train_examples + augment(train_examples, seed=cfg.augment_seed, n_plain=cfg.plain_style,
                                                  n_obfuscate=cfg.obfuscate, n_rename=cfg.rename_contestants)
        data["augmented"] = len(train_examples) - len(original_examples)
    if cfg.real_negatives:
        from ..data.real import unannotated_negatives

        negatives = unannotated_negatives(cfg.real_negatives, seed=cfg.seed, corpora=corpora)
        train_examples = train_examples + negatives
        data["real_negatives"] = len(negatives)
    dev_examples = load_examples(dev_data, corpora) if dev_data is not None else None
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
        max_length = cfg.settings.max_length
        window_limit = min(max_length, max_window_tokens(encoder.config) or max_length)
        settings = replace(cfg.settings, max_length=window_limit)
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
                          data_collator=partial(collate, pad_id=tokenizer.pad_token_id or 0), optimizers=optimizers)
        trainer.train()
        model.eval()
        clf = NeutralityClassifier(model, tokenizer, settings, device=next(model.parameters()).device,
                                   name=cfg.model_name)
        dev_metrics = None
        if cfg.threshold is not None:
            settings.threshold = cfg.threshold
        if dev_examples:
            from ..evaluation.metrics import best_threshold

            # the model runs over dev once; calibration, threshold and metrics reuse that run
            texts = [e.text for e in dev_examples]
            run = clf.forward_texts(texts, batch_size=32)
            if cfg.calibrate:
                cal = calibration_examples(dev_examples, cfg.calibrate_on)
                wanted = {id(e) for e in cal}
                rows = [j for j, i in enumerate(run.indices) if id(dev_examples[i]) in wanted]
                settings.calibration = fit_calibration_on_log_odds(
                    run.log_odds[rows], [int(dev_examples[run.indices[j]].label == PARTISAN) for j in rows])
            if cfg.threshold is None:
                scores = [p.score for p in clf.predictions(texts, run, with_spans=False)]
                settings.threshold = best_threshold([int(e.label == PARTISAN) for e in dev_examples], scores,
                                                    cfg.min_precision)
            dev_metrics = evaluate(clf, dev_examples, predictions=clf.predictions(texts, run))
            dev_metrics["calibration"] = list(settings.calibration)
        clf.backend.to("cpu")
        if out.exists():
            for name in ("model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json",
                         "special_tokens_map.json", "vocab.txt", "training.json"):
                (out / name).unlink(missing_ok=True)
        clf.save_pretrained(out)
    elapsed = time.time() - started
    pretrained = Path(cfg.base_model) / "pretraining.json" if cfg.scratch is None else None
    info = {"config": cfg.to_dict(), "dev_metrics": dev_metrics, "train_examples": len(train_examples),
            "data": data,
            "pretraining": json.loads(pretrained.read_text()) if pretrained and pretrained.is_file() else None,
            "train_windows": len(feats), "train_seconds": round(elapsed, 1),
            "torch": torch.__version__, "log": trainer.state.log_history, "mlm_log": mlm_log}
    (out / "training.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
    from .card import data_section, write_model_card

    write_model_card(out, cfg, dev_metrics, len(train_examples), len(dev_examples or []), elapsed,
                     extra=data_section(data, info["pretraining"]))
    return TrainResult(out, dev_metrics, elapsed, len(feats))
