"""Build a small encoder from scratch: a deterministic WordPiece tokenizer trained on project text
and a randomly initialised BERT, saved as a Hugging Face directory (safetensors).

Used by the tests (tiny models, no hub) and by the shipped default model, which is trained from
scratch because no pretrained weights are reachable where it is built. The ``tokenizers``
WordPiece trainer is not deterministic (merge ties follow hash-map order), so the vocabulary is
built here deterministically: special tokens, characters and ``##`` characters, then frequent
words and frequent word pieces, all sorted by (count, text).
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..normalize import NormalizationConfig, Normalizer


@dataclass
class ScratchEncoder:
    """Shape of an encoder built from scratch on the training texts instead of a pretrained base model."""

    vocab_size: int = 8000
    hidden_size: int = 256
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    intermediate_size: int = 1024
    max_position_embeddings: int = 512


SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
BASE_CHARS = (
    "abcdefghijklmnopqrstuvwxyz0123456789"
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    "–—‘’“”…•·°€£¥₹"
    "😀😁😂🤣😃😄😅😆😉😊😋😎😍😘🥰😗🙂🤗🤩🤔🤨😐😑😶🙄😏😣😥😮🤐😯😪😫😴😌😛😜😝🤤😒😓😔😕🙃🤑😲🙁😖😞😟😤😢😭😦😧😨😩🤯😬😰😱🥵🥶😳🤪😵😡😠🤬😷🤒🤕🤢🤮🤧😇🥳🥺🤠🤡🤥🤫🤭🧐🤓"
    "👍👎👊✊🤛🤜👏🙌👐🤲🤝🙏✌🤞🤟🤘👌🤏👈👉👆👇☝✋🤚🖐🖖👋🤙💪"
    "❤🧡💛💚💙💜🖤🤍🤎💔❣💕💞💓💗💖💘💝🔥✨⭐🌟💯✅❌⚠📢📣🇮🇩🎉🎊🏆🥇🗳📌📍📷📸🎥"
)


def _bert_tokenizer_object(vocab: dict[str, int], lowercase: bool):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=lowercase, lowercase=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])],
    )
    tok.decoder = decoders.WordPiece(prefix="##")
    return tok


def build_vocab(texts: Iterable[str], vocab_size: int, lowercase: bool = True,
                normalization: NormalizationConfig | None = None) -> dict[str, int]:
    """A deterministic WordPiece vocabulary from ``texts`` (after netral normalization)."""
    probe = _bert_tokenizer_object({t: i for i, t in enumerate(SPECIAL)}, lowercase)
    normalizer = Normalizer(normalization)
    words: Counter[str] = Counter()
    for t in texts:
        s = probe.normalizer.normalize_str(normalizer(t).text)
        words.update(w for w, _ in probe.pre_tokenizer.pre_tokenize_str(s))
    chars: set[str] = set(BASE_CHARS)
    for w in words:
        chars.update(w)
    tokens = list(SPECIAL) + sorted(chars) + sorted("##" + c for c in chars)
    seen = set(tokens)
    budget = max(0, vocab_size - len(tokens))
    n_words = int(budget * 0.7)
    ranked = sorted((w for w, c in words.items() if c >= 2 and len(w) > 1), key=lambda w: (-words[w], w))
    for w in ranked[:n_words]:
        tokens.append(w)
        seen.add(w)
    pieces: Counter[str] = Counter()
    for w, c in words.items():
        if w in seen or len(w) < 3:
            continue
        for n in range(2, min(6, len(w)) + 1):
            pieces[w[:n]] += c
        for a in range(1, len(w) - 1):
            for n in range(2, min(5, len(w) - a) + 1):
                pieces["##" + w[a:a + n]] += c
    for p_, c in sorted(pieces.items(), key=lambda kv: (-kv[1] * (len(kv[0]) - 1), kv[0])):
        if len(tokens) >= vocab_size:
            break
        if c >= 2 and p_ not in seen:
            tokens.append(p_)
            seen.add(p_)
    return {t: i for i, t in enumerate(tokens)}


def build_tokenizer(texts: Iterable[str], vocab_size: int = 8000, model_max_length: int = 512,
                    lowercase: bool = True, normalization: NormalizationConfig | None = None):
    """A fast BERT tokenizer (``tokenizer.json``) with a deterministic vocabulary."""
    from transformers import PreTrainedTokenizerFast

    vocab = build_vocab(texts, vocab_size, lowercase, normalization)
    return PreTrainedTokenizerFast(
        tokenizer_object=_bert_tokenizer_object(vocab, lowercase), model_max_length=model_max_length,
        unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]",
    )


def build_scratch_encoder(texts: Iterable[str], output_dir: str | os.PathLike, shape: ScratchEncoder | None = None,
                          *, seed: int = 0, normalization: NormalizationConfig | None = None, **fields) -> Path:
    """Write a randomly initialised BERT encoder and its tokenizer to ``output_dir``.

    ``shape`` (default :class:`ScratchEncoder`), with any of its fields overridden by keyword
    (``hidden_size=32``...)."""
    import torch
    from transformers import BertConfig, BertModel

    sh = replace(shape or ScratchEncoder(), **fields)
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tokenizer(list(texts), sh.vocab_size, sh.max_position_embeddings, normalization=normalization)
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=sh.hidden_size, num_hidden_layers=sh.num_hidden_layers,
        num_attention_heads=sh.num_attention_heads, intermediate_size=sh.intermediate_size,
        max_position_embeddings=sh.max_position_embeddings, pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = BertModel(config, add_pooling_layer=False)
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    return out
