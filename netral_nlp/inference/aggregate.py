"""Aggregation stage: per-window results -> per-document results.

A document's log-odds of partisan is the maximum over its windows (one partisan sentence makes
the text partisan); :func:`calibrate` turns it into P(partisan) with the model's Platt scaling
(``settings.calibration``: scale and bias fitted on dev, monotone, so the maximum commutes with
it). A token seen by several overlapping windows gets the mean of their tag probabilities.
"""
from __future__ import annotations

import numpy as np

from .windows import Window


def calibrate(log_odds: np.ndarray, calibration: tuple[float, float] | list[float]) -> np.ndarray:
    """P(partisan) = sigmoid(scale * log_odds + bias); (1, 0) is the uncalibrated softmax."""
    scale, bias = calibration
    return 1.0 / (1.0 + np.exp(-(scale * np.asarray(log_odds, dtype=np.float64) + bias)))


def merge_windows(windows: list[Window], seq_z: np.ndarray, tag_p: list[np.ndarray], n_docs: int,
                  n_tags: int) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """The log-odds of partisan per document (max over its windows), and per document the token
    offsets (normalized chars, sorted, special tokens left out) with their tag probabilities
    averaged over windows."""
    scores = np.full(n_docs, -np.inf, dtype=np.float64)
    per_doc: list[dict[tuple[int, int], list]] = [{} for _ in range(n_docs)]
    for k, w in enumerate(windows):
        scores[w.doc] = max(scores[w.doc], seq_z[k])
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
