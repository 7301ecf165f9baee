"""Encoder directories shaped as the Hugging Face Hub gives them, built at test time (nothing committed).

* The IndoBERT family: the tokenizer files and configs of ``indobert-base-p1``,
  ``indobert-base-uncased`` (IndoLEM) and ``indobert-lite-base-p1`` (ALBERT) from
  ``../shared/corpora/indobert-tokenizers`` (provenance in ``../shared/corpora/README.md``), copied
  as they are; the config keeps the vocabulary and embedding rows, token types, positions (and
  ALBERT's 128-wide factorised embedding), with only the depth and width cut for speed; random
  weights saved as safetensors.
* A SentencePiece family (XLM-R layout): a Unigram model trained with ``sentencepiece`` on a few
  thousand lines of the shared corpora, converted by transformers into a fast tokenizer, with a
  tiny ``XLMRobertaConfig`` (514 positions, pad id 1, one token type), as ``xlm-roberta-base``.
"""
from __future__ import annotations

import io
import itertools
import json
import shutil
from pathlib import Path

INDOBERT = ("indobert-base-p1", "indobert-base-uncased-indolem", "indobert-lite-base-p1")
SENTENCEPIECE = "xlmr-sentencepiece"
FAMILIES = (*INDOBERT, SENTENCEPIECE)
# Depth and width only: vocabulary, embedding rows, type vocabulary, positions stay as published.
SHRINK = {"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 2, "intermediate_size": 128}
# The shared copy of IndoLEM's tokenizer comes without its config; its published config.json (as the
# shared README describes it): BERT-base, 31,923-entry vocabulary.
INDOLEM_CONFIG = {
    "architectures": ["BertForMaskedLM"], "model_type": "bert", "attention_probs_dropout_prob": 0.1,
    "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 768, "initializer_range": 0.02,
    "intermediate_size": 3072, "layer_norm_eps": 1e-12, "max_position_embeddings": 512,
    "num_attention_heads": 12, "num_hidden_layers": 12, "pad_token_id": 0, "type_vocab_size": 2,
    "vocab_size": 31923,
}
# What the published files hold: (tokenizer entries, config vocab_size / embedding rows).
EXPECTED_SIZES = {"indobert-base-p1": (30521, 50000), "indobert-base-uncased-indolem": (31923, 31923),
                  "indobert-lite-base-p1": (29999, 30000)}
SPM_SOURCES = (("extra/stif_tweets.txt", 2500), ("extra/indosum_dev.txt", 400), ("extra/nusax_ind.txt", 600))


def tokenizer_root(corpora: Path) -> Path:
    return corpora / "indobert-tokenizers"


def _save_random_encoder(raw_config: dict, dest: Path) -> Path:
    import torch
    from transformers import AutoConfig, AutoModel

    (dest / "config.json").write_text(json.dumps(raw_config, indent=2), encoding="utf-8")
    config = AutoConfig.from_pretrained(dest, local_files_only=True)
    torch.manual_seed(0)
    AutoModel.from_config(config).save_pretrained(dest, safe_serialization=True)  # rewrites config.json
    return dest


def indobert_encoder(corpora: Path, family: str, dest: Path) -> Path:
    """``dest`` as a local copy of the Hub repository of ``family``, 2 layers deep, random weights."""
    src = tokenizer_root(corpora) / family
    dest.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.name != "config.json":
            shutil.copyfile(f, dest / f.name)
    raw = json.loads((src / "config.json").read_text(encoding="utf-8")) if (src / "config.json").exists() \
        else dict(INDOLEM_CONFIG)
    raw.update(SHRINK)
    return _save_random_encoder(raw, dest)


def _spm_lines(corpora: Path) -> list[str]:
    lines = []
    for rel, n in SPM_SOURCES:
        with open(corpora / rel, encoding="utf-8") as fh:
            lines += [line.strip()[:2000] for line in itertools.islice(fh, n) if line.strip()]
    return lines


def sentencepiece_encoder(corpora: Path, dest: Path, vocab_size: int = 3000) -> Path:
    """An XLM-R style directory: ``sentencepiece.bpe.model`` (Unigram, trained here), the fast
    tokenizer transformers converts from it (``tokenizer.json``), a tiny XLM-R config and weights."""
    import sentencepiece as spm
    from transformers import XLMRobertaTokenizer

    dest.mkdir(parents=True, exist_ok=True)
    model = io.BytesIO()
    # XLM-R's own layout: <unk>=0, <s>=1, </s>=2 in the SentencePiece model; transformers' converter
    # adds fairseq's offset (<s>=0, <pad>=1, </s>=2, <unk>=3) and <mask> at the end.
    spm.SentencePieceTrainer.train(sentence_iterator=iter(_spm_lines(corpora)), model_writer=model,
                                   vocab_size=vocab_size, model_type="unigram", hard_vocab_limit=False,
                                   character_coverage=0.9995, num_threads=1, minloglevel=2)
    (dest / "sentencepiece.bpe.model").write_bytes(model.getvalue())
    tokenizer = XLMRobertaTokenizer.from_pretrained(dest, local_files_only=True)  # slow -> fast conversion
    tokenizer.save_pretrained(dest)
    raw = {"architectures": ["XLMRobertaForMaskedLM"], "model_type": "xlm-roberta", "vocab_size": len(tokenizer),
           "max_position_embeddings": 514, "type_vocab_size": 1, "pad_token_id": tokenizer.pad_token_id,
           "bos_token_id": tokenizer.bos_token_id, "eos_token_id": tokenizer.eos_token_id,
           "layer_norm_eps": 1e-5, **SHRINK}
    return _save_random_encoder(raw, dest)


def build_encoder(corpora: Path, family: str, dest: Path) -> Path:
    if family == SENTENCEPIECE:
        return sentencepiece_encoder(corpora, dest)
    return indobert_encoder(corpora, family, dest)
