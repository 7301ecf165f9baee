"""Evaluation metrics shared by training and ``netral evaluate``.

Label: macro-F1 over {neutral, partisan}, precision/recall of partisan at the threshold, the
false-positive rate on neutral texts, ROC-AUC, and the expected calibration error of P(partisan)
(10 equal-width bins); :func:`precision_at_prevalence` turns recall and false-positive rate into
the precision a user sees when partisan texts are rare.
Spans: character-level F1 per text as in SemEval-2021 Task 5 (predicted vs gold character sets;
a text with neither scores 1, one without the other scores 0), averaged over texts; and the
ERASER/HateXplain token IoU-F1 (a predicted span matches a gold span when their word-token IoU
is >= 0.5; per-text precision/recall averaged over texts, then F1).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support, roc_auc_score

Spans = Sequence[tuple[int, int]]
_WORD = re.compile(r"\S+")


def label_metrics(y_true: Sequence[int], scores: Sequence[float], threshold: float) -> dict[str, float | None]:
    y = np.asarray(y_true, dtype=int)
    s = np.asarray(scores, dtype=float)
    pred = (s >= threshold).astype(int)
    p, r, _, _ = precision_recall_fscore_support(y, pred, labels=[1], average=None, zero_division=0)
    auc = float(roc_auc_score(y, s)) if len(set(y.tolist())) == 2 else None
    neg = y == 0
    return {
        "macro_f1": float(f1_score(y, pred, labels=[0, 1], average="macro", zero_division=0)),
        "partisan_precision": float(p[0]),
        "partisan_recall": float(r[0]),
        "false_positive_rate": float(pred[neg].mean()) if neg.any() else None,
        "roc_auc": auc,
        "ece": expected_calibration_error(y, s),
        "accuracy": float((pred == y).mean()) if len(y) else 0.0,
        "threshold": float(threshold),
    }


def expected_calibration_error(y_true: Sequence[int], scores: Sequence[float], bins: int = 10) -> float | None:
    """Mean |accuracy - confidence| of P(partisan) over equal-width bins, weighted by bin size."""
    y = np.asarray(y_true, dtype=float)
    s = np.asarray(scores, dtype=float)
    if not len(y):
        return None
    idx = np.minimum((s * bins).astype(int), bins - 1)
    return float(sum(abs(y[idx == b].mean() - s[idx == b].mean()) * (idx == b).sum()
                     for b in range(bins) if (idx == b).any()) / len(y))


def precision_at_prevalence(recall: float, false_positive_rate: float, prevalence: float) -> float | None:
    """Precision on data where a share ``prevalence`` of texts is partisan, from the recall and
    the false-positive rate (which do not depend on prevalence)."""
    tp, fp = recall * prevalence, false_positive_rate * (1 - prevalence)
    return tp / (tp + fp) if tp + fp > 0 else None


def best_threshold(y_true: Sequence[int], scores: Sequence[float], min_precision: float = 0.0) -> float:
    """The threshold maximizing macro-F1 on (y_true, scores).

    Candidates are 0.5 and the midpoints between consecutive distinct scores, so the threshold
    never sits on a score; among equally good thresholds the one closest to 0.5 wins (saturated
    probabilities leave a wide optimal interval, and its edge is brittle). Thresholds whose
    partisan precision is below ``min_precision`` are used only when no threshold reaches it.
    """
    u = np.unique(np.round(np.asarray(scores, dtype=float), 6))
    cands = {0.5} | {float(x) for x in (u[:-1] + u[1:]) / 2}
    best, best_key = 0.5, None
    for t in sorted(cands):
        m = label_metrics(y_true, scores, t)
        key = (m["partisan_precision"] >= min_precision, round(m["macro_f1"], 9), -abs(t - 0.5))
        if best_key is None or key > best_key:
            best, best_key = t, key
    return round(float(best), 6)


def _chars(spans: Spans) -> set[int]:
    out: set[int] = set()
    for a, b in spans:
        out.update(range(a, b))
    return out


def char_f1(pred: Spans, gold: Spans) -> float:
    """SemEval-2021 Task 5 character F1 for one text."""
    p, g = _chars(pred), _chars(gold)
    if not p and not g:
        return 1.0
    if not p or not g:
        return 0.0
    return 2 * len(p & g) / (len(p) + len(g))


def _word_sets(text: str, spans: Spans) -> list[set[int]]:
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    out = []
    for a, b in spans:
        ids = {k for k, (s, e) in enumerate(words) if s < b and e > a}
        if ids:
            out.append(ids)
    return out


def iou_prf(text: str, pred: Spans, gold: Spans, iou: float = 0.5) -> tuple[float, float] | None:
    """Per-text (precision, recall) of span matches at word-token IoU >= ``iou``; None if no spans."""
    P, G = _word_sets(text, pred), _word_sets(text, gold)
    if not P and not G:
        return None

    def hit(x: set[int], others: list[set[int]]) -> bool:
        return any(len(x & o) / len(x | o) >= iou for o in others)

    prec = sum(hit(x, G) for x in P) / len(P) if P else 0.0
    rec = sum(hit(x, P) for x in G) / len(G) if G else 0.0
    return prec, rec


def span_metrics(texts: Sequence[str], preds: Sequence[Spans], golds: Sequence[Spans],
                 is_partisan: Sequence[bool] | None = None) -> dict[str, float | None]:
    """Span metrics over all texts, plus the character F1 over gold-partisan texts only."""
    f1s = [char_f1(p, g) for p, g in zip(preds, golds)]
    prs = [x for x in (iou_prf(t, p, g) for t, p, g in zip(texts, preds, golds)) if x is not None]
    if prs:
        P = float(np.mean([x[0] for x in prs]))
        R = float(np.mean([x[1] for x in prs]))
        iou_f1 = 2 * P * R / (P + R) if P + R else 0.0
    else:
        iou_f1 = None
    out: dict[str, float | None] = {"span_char_f1": float(np.mean(f1s)) if f1s else None,
                                    "span_iou_f1": iou_f1}
    if is_partisan is not None:
        sel = [f for f, y in zip(f1s, is_partisan) if y]
        out["span_char_f1_partisan"] = float(np.mean(sel)) if sel else None
    return out
