"""Masked-language-model pretraining of the encoder before fine-tuning (``mlm_epochs``)."""
from __future__ import annotations

import json

import pytest
import torch
from safetensors.torch import load_file

from netral_nlp.settings import NetralSettings
from netral_nlp.training.config import TrainConfig
from netral_nlp.training.pretraining import pretrain_mlm

pytestmark = pytest.mark.slow


def _mean_loss(log: list[dict], part: slice) -> float:
    losses = [e["loss"] for e in log if "loss" in e]
    chunk = losses[part]
    return sum(chunk) / len(chunk)


def test_pretrain_mlm_learns_and_writes_a_loadable_encoder(tiny_encoder, synthetic_train, tmp_path):
    from netral_nlp.modeling import load_encoder

    texts = [e["text"] for e in synthetic_train]
    cfg = TrainConfig(mlm_epochs=12, mlm_learning_rate=3e-3, mlm_batch_size=16, logging_steps=5,
                      settings=NetralSettings(max_length=64))
    log = pretrain_mlm(str(tiny_encoder), texts, tmp_path / "mlm", cfg, progress=False)
    # the masked-token loss falls well below its starting value (ln(vocab) ~ 6.5 at random init)
    assert _mean_loss(log, slice(-3, None)) < 0.8 * _mean_loss(log, slice(0, 3))
    before = load_file(str(tiny_encoder / "model.safetensors"))
    after = load_file(str(tmp_path / "mlm" / "model.safetensors"))
    assert set(after) == set(before), "the adapted encoder keeps the base encoder's weight names (no MLM head)"
    key = "embeddings.word_embeddings.weight"
    assert not torch.equal(before[key], after[key])
    encoder = load_encoder(str(tmp_path / "mlm"))
    assert type(encoder).__name__ == "BertModel"


def test_train_fine_tunes_the_pretrained_encoder(tiny_encoder, synthetic_train, tmp_path):
    from netral_nlp import NeutralityClassifier, train

    out = tmp_path / "model"
    # fine-tuning with learning rate 0 leaves the encoder as it starts: the MLM-adapted one
    train(synthetic_train[:64], None, output_dir=out, base_model=str(tiny_encoder), epochs=1, batch_size=16,
          learning_rate=0.0, max_length=64, stride=16, mlm_epochs=1, mlm_batch_size=16, mlm_learning_rate=3e-3,
          progress=False, logging_steps=2)
    info = json.loads((out / "training.json").read_text())
    assert info["config"]["mlm_epochs"] == 1
    assert any("loss" in e for e in info["mlm_log"])
    key = "embeddings.word_embeddings.weight"
    base = load_file(str(tiny_encoder / "model.safetensors"))[key]
    final = load_file(str(out / "model.safetensors"))[f"encoder.{key}"]
    assert final.shape == base.shape and not torch.equal(final, base), "fine-tuning started from the base encoder"
    clf = NeutralityClassifier.from_pretrained(out)
    assert torch.equal(clf.model.encoder.embeddings.word_embeddings.weight.detach(), final)
