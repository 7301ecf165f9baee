"""Tokenization stage: normalized texts -> overlapping token windows with character offsets,
and :func:`collate`, the one function that pads windows (or training features) into a batch.

Windows come from the fast tokenizer's ``return_overflowing_tokens`` with ``stride`` tokens of
overlap, so a text of any length is covered. For training, gold spans (original offsets) are
turned into one BIO tag per token.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..labels import IGNORE_INDEX, TagScheme
from ..normalize import NormalizedText


@dataclass
class Window:
    doc: int  # index of the text in the batch
    input_ids: list[int]
    offsets: list[tuple[int, int]]  # normalized-text offsets per token; (0, 0) for special tokens
    special: list[int]  # 1 for special tokens
    token_type_ids: list[int] | None = None

    def __len__(self) -> int:
        return len(self.input_ids)


def check_tokenizer(tokenizer) -> None:
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError(
            "netral-nlp needs a fast (Rust) tokenizer for character offsets; "
            f"{type(tokenizer).__name__} is not fast. Save the tokenizer with tokenizer.json."
        )


def window_texts(tokenizer, texts: list[str], max_length: int, stride: int) -> list[Window]:
    """Tokenize normalized ``texts`` into windows of at most ``max_length`` tokens."""
    check_tokenizer(tokenizer)
    if not 0 <= stride < max_length - 2:
        raise ValueError(f"stride ({stride}) must be >= 0 and smaller than max_length - 2 ({max_length - 2})")
    if not texts:
        return []
    enc = tokenizer(
        texts,
        truncation=True,
        max_length=max_length,
        stride=stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        return_special_tokens_mask=True,
        padding=False,
    )
    types = enc.get("token_type_ids")
    windows = []
    for k, doc in enumerate(enc["overflow_to_sample_mapping"]):
        windows.append(Window(
            doc=int(doc),
            input_ids=enc["input_ids"][k],
            offsets=[tuple(o) for o in enc["offset_mapping"][k]],
            special=enc["special_tokens_mask"][k],
            token_type_ids=types[k] if types is not None else None,
        ))
    return windows


def tags_for_window(window: Window, spans: list[tuple[int, int, int]]) -> list[int]:
    """BIO tag ids (:class:`~netral_nlp.labels.TagScheme`) for one window; ``spans`` are
    (start, end, category_index) in normalized chars. A token belongs to a span when their
    character ranges overlap."""
    tags = []
    prev_span = None
    for (a, z), sp in zip(window.offsets, window.special):
        if sp:
            tags.append(IGNORE_INDEX)
            prev_span = None
            continue
        hit = None
        for j, (s, e, _c) in enumerate(spans):
            if a < e and z > s:
                hit = j
                break
        if hit is None:
            tags.append(TagScheme.OUTSIDE)
        else:
            c = spans[hit][2]
            tags.append(TagScheme.inside(c) if prev_span == hit else TagScheme.begin(c))
        prev_span = hit
    return tags


def normalized_spans(norm: NormalizedText, spans, category_index: dict[str, int]) -> list[tuple[int, int, int]]:
    """Gold spans (objects or dicts with start/end/category in ORIGINAL offsets) -> normalized."""
    out = []
    for sp in spans:
        get = sp.get if isinstance(sp, dict) else lambda k, _sp=sp: getattr(_sp, k)
        a, z = norm.to_normalized(int(get("start")), int(get("end")))
        if z > a:
            out.append((a, z, category_index[get("category")]))
    return out


def _field(item, name: str):
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def collate(batch: Sequence[Window | Mapping], pad_id: int) -> dict:
    """Right-pad windows (or training features: dicts with ``input_ids``, optional
    ``token_type_ids``, ``labels`` and ``tag_labels``) into a batch of tensors."""
    import torch

    n = max(len(_field(b, "input_ids")) for b in batch)
    out = {"input_ids": torch.full((len(batch), n), pad_id, dtype=torch.long),
           "attention_mask": torch.zeros((len(batch), n), dtype=torch.long)}
    first = batch[0]
    if _field(first, "token_type_ids") is not None:
        out["token_type_ids"] = torch.zeros((len(batch), n), dtype=torch.long)
    if _field(first, "tag_labels") is not None:
        out["tag_labels"] = torch.full((len(batch), n), IGNORE_INDEX, dtype=torch.long)
    if _field(first, "labels") is not None:
        out["labels"] = torch.tensor([_field(b, "labels") for b in batch], dtype=torch.long)
    for r, b in enumerate(batch):
        ids = _field(b, "input_ids")
        k = len(ids)
        out["input_ids"][r, :k] = torch.tensor(ids)
        out["attention_mask"][r, :k] = 1
        for name in ("token_type_ids", "tag_labels"):
            if name in out:
                out[name][r, :k] = torch.tensor(_field(b, name))
    return out
