"""Moved to :mod:`netral_nlp.training.tokenizers`; this name stays for scripts that import it."""
from __future__ import annotations

from .training.tokenizers import build_scratch_encoder, build_tokenizer, build_vocab

__all__ = ["build_scratch_encoder", "build_tokenizer", "build_vocab"]
