from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# user-facing text is Indonesian by default (netral_nlp.i18n); the older tests assert the English
# strings, so the suite runs in English and the tests of the default unset this (tests/test_i18n.py)
os.environ["NETRAL_LANG"] = "en"
os.environ["NETRAL_CACHE"] = tempfile.mkdtemp(prefix="netral-test-cache-")  # ONNX exports of quantize=True
sys.path.insert(0, str(Path(__file__).parent))

import pytest  # noqa: E402
from synthetic import FILLERS, make_examples  # noqa: E402

TINY = {"vocab_size": 700, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
        "intermediate_size": 64, "max_position_embeddings": 128}


@pytest.fixture(scope="session")
def synthetic_train() -> list[dict]:
    return make_examples(240, seed=0)


@pytest.fixture(scope="session")
def synthetic_test() -> list[dict]:
    return make_examples(80, seed=7)


@pytest.fixture(scope="session")
def tiny_encoder(tmp_path_factory, synthetic_train) -> Path:
    """A random-init 2-layer BERT with a tokenizer built on project text (no hub)."""
    from netral_nlp.training.tokenizers import build_scratch_encoder

    texts = [e["text"] for e in synthetic_train] + FILLERS
    return build_scratch_encoder(texts, tmp_path_factory.mktemp("encoder"), **TINY)


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, tiny_encoder, synthetic_train) -> Path:
    """The tiny encoder fine-tuned on the synthetic cue-phrase set, saved and ready to load."""
    from netral_nlp import train

    dev = make_examples(60, seed=3)
    out = tmp_path_factory.mktemp("model")
    train(synthetic_train, dev, output_dir=out, base_model=str(tiny_encoder), epochs=8, batch_size=16,
          learning_rate=3e-3, max_length=64, stride=16, progress=False, logging_steps=1000, model_name="tiny")
    return out


@pytest.fixture(scope="session")
def tiny_clf(tiny_model_dir):
    from netral_nlp import NeutralityClassifier

    return NeutralityClassifier.from_pretrained(tiny_model_dir)
