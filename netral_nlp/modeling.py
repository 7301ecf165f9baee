"""Encoder stage: any Hugging Face encoder with a sequence head and a token (span) head.

One forward pass gives both P(partisan) (from the first token's hidden state) and per-token
BIO probabilities over the span categories. Weights are saved and loaded as safetensors only.
"""
from __future__ import annotations

import os
from pathlib import Path

import torch
from safetensors.torch import load_model, save_model
from torch import nn

from .labels import IGNORE_INDEX

WEIGHTS_NAME = "model.safetensors"
PICKLE_WEIGHTS = ("pytorch_model.bin", "tf_model.h5", "flax_model.msgpack", "model.ckpt.index")
# Encoders of the fairseq RoBERTa layout number positions from ``pad_token_id + 1``: their
# ``max_position_embeddings`` (514 for XLM-R) holds ``pad_token_id + 1`` fewer tokens (512).
OFFSET_POSITION_TYPES = {"roberta", "xlm-roberta", "xlm-roberta-xl", "camembert", "data2vec-text", "ibert",
                         "longformer", "roberta-prelayernorm", "xmod", "mpnet"}


class NetralModel(nn.Module):
    """Encoder + sequence head (2 labels) + token head (BIO tags), trained jointly."""

    def __init__(self, encoder: nn.Module, num_labels: int, num_tags: int, dropout: float = 0.1,
                 token_loss_weight: float = 1.0):
        super().__init__()
        self.encoder = encoder
        self.config = encoder.config
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.sequence_head = nn.Linear(hidden, num_labels)
        self.token_head = nn.Linear(hidden, num_tags)
        self.token_loss_weight = token_loss_weight

    def forward(self, input_ids, attention_mask=None, token_type_ids=None, labels=None, tag_labels=None):
        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if token_type_ids is not None:
            kwargs["token_type_ids"] = token_type_ids
        hidden = self.encoder(**kwargs).last_hidden_state
        hidden = self.dropout(hidden)
        seq_logits = self.sequence_head(hidden[:, 0])
        tag_logits = self.token_head(hidden)
        out = {"seq_logits": seq_logits, "tag_logits": tag_logits}
        if labels is not None:
            loss = nn.functional.cross_entropy(seq_logits, labels)
            if tag_labels is not None and bool((tag_labels != IGNORE_INDEX).any()):
                tag_loss = nn.functional.cross_entropy(
                    tag_logits.reshape(-1, tag_logits.shape[-1]), tag_labels.reshape(-1), ignore_index=IGNORE_INDEX
                )
                loss = loss + self.token_loss_weight * tag_loss
            out["loss"] = loss
        return out


def max_window_tokens(config) -> int | None:
    """The most tokens (special tokens included) one window may hold for the encoder of ``config``:
    its absolute position embeddings, less the RoBERTa-style padding offset; None when unknown."""
    positions = getattr(config, "max_position_embeddings", None)
    if not isinstance(positions, int) or positions <= 0:
        return None
    if getattr(config, "model_type", "") in OFFSET_POSITION_TYPES:
        positions -= (getattr(config, "pad_token_id", None) or 0) + 1
    return positions


def _without_pooler(load, *args, **kwargs):
    """Encoders such as BERT add a pooling layer netral-nlp never uses; leave it out where the
    architecture allows, the same way when training and loading so the weights match."""
    try:
        return load(*args, add_pooling_layer=False, **kwargs)
    except TypeError:
        return load(*args, **kwargs)


def build_model(config, num_labels: int, num_tags: int, dropout: float = 0.1,
                token_loss_weight: float = 1.0) -> NetralModel:
    """An untrained model with the encoder architecture in ``config`` (no weights loaded)."""
    from transformers import AutoModel

    encoder = _without_pooler(AutoModel.from_config, config)
    return NetralModel(encoder, num_labels, num_tags, dropout, token_loss_weight)


def load_encoder(base: str, **kwargs) -> nn.Module:
    """Load a pretrained encoder for fine-tuning, preferring safetensors weights."""
    from transformers import AutoModel

    try:
        return _without_pooler(AutoModel.from_pretrained, base, use_safetensors=True, **kwargs)
    except OSError as err:
        if os.path.isdir(base) and not any(Path(base, n).exists() for n in PICKLE_WEIGHTS):
            raise
        import warnings

        warnings.warn(
            f"{base} has no safetensors weights; loading its PyTorch weights with transformers' "
            f"restricted (weights_only) loader. The model netral-nlp saves will be safetensors. ({err})",
            stacklevel=2,
        )
        return _without_pooler(AutoModel.from_pretrained, base, **kwargs)


def save_weights(model: NetralModel, directory: str | Path) -> None:
    save_model(model, str(Path(directory) / WEIGHTS_NAME), metadata={"format": "pt"})


def load_weights(model: NetralModel, directory: str | Path) -> None:
    """Load ``model.safetensors``; refuse pickle-based weight files with a clear error."""
    path = Path(directory) / WEIGHTS_NAME
    if not path.exists():
        found = [n for n in PICKLE_WEIGHTS if (Path(directory) / n).exists()]
        if found:
            raise ValueError(
                f"{directory} has {found[0]} but no {WEIGHTS_NAME}. netral-nlp loads weights from "
                "safetensors only and never unpickles files from a model directory. Convert it "
                "(for example with safetensors.torch.save_model after loading it yourself in a trusted "
                "environment) or retrain with `netral train`."
            )
        raise FileNotFoundError(f"{directory} has no {WEIGHTS_NAME}")
    missing, unexpected = load_model(model, str(path), strict=False, device="cpu")
    missing = [k for k in missing if not k.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(
            f"{path} does not match the model architecture in config.json: "
            f"missing {missing[:5]}{'...' if len(missing) > 5 else ''}, "
            f"unexpected {unexpected[:5]}{'...' if len(unexpected) > 5 else ''}"
        )


def quantize_dynamic(model: NetralModel) -> nn.Module:
    """Dynamic int8 quantization of the linear layers, for fast CPU inference."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torch.ao.quantization import quantize_dynamic as _qd

        return _qd(model, {nn.Linear}, dtype=torch.qint8)
