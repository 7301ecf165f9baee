"""Aggregation stage: per-window results -> per-document results.

A document's P(partisan) is the maximum over its windows (one partisan sentence makes the text
partisan). A token seen by several overlapping windows gets the mean of their tag probabilities.
"""
from __future__ import annotations

import numpy as np

from .windows import Window


def merge_windows(windows: list[Window], seq_p: np.ndarray, tag_p: list[np.ndarray], n_docs: int,
                  n_tags: int) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """P(partisan) per document, and per document the token offsets (normalized chars, sorted,
    special tokens left out) with their tag probabilities averaged over windows."""
    scores = np.zeros(n_docs, dtype=np.float32)
    per_doc: list[dict[tuple[int, int], list]] = [{} for _ in range(n_docs)]
    for k, w in enumerate(windows):
        scores[w.doc] = max(scores[w.doc], seq_p[k])
        acc = per_doc[w.doc]
        probs = tag_p[k]
        for pos, (off, sp) in enumerate(zip(w.offsets, w.special)):
            if sp or off[1] <= off[0]:
                continue
            if off in acc:
                acc[off][0] += probs[pos]
                acc[off][1] += 1
            else:
                acc[off] = [probs[pos].copy(), 1]
    token_probs = []
    for acc in per_doc:
        keys = sorted(acc)
        offsets = np.array(keys, dtype=np.int64).reshape(-1, 2)
        probs = np.array([acc[k][0] / acc[k][1] for k in keys], dtype=np.float32).reshape(-1, n_tags)
        token_probs.append((offsets, probs))
    return scores, token_probs
