"""Optional masked-language-model pretraining of the encoder on the training texts (``mlm_epochs``)."""
from __future__ import annotations

import math
from pathlib import Path

import torch

from ..inference.windows import window_texts
from ..labels import IGNORE_INDEX
from ..modeling import max_window_tokens
from ..normalize import Normalizer
from .config import TrainConfig


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
    normalizer = Normalizer(cfg.settings.normalization)
    max_length = cfg.settings.max_length
    limit = min(max_length, max_window_tokens(model.config) or max_length)
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
