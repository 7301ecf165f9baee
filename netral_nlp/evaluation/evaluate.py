"""``evaluate()``: label and span metrics of a classifier on labelled examples."""
from __future__ import annotations

from ..data.sources import load_examples
from ..labels import PARTISAN
from .metrics import label_metrics, span_metrics


def evaluate(classifier, data, batch_size: int = 32, threshold: float | None = None,
             return_predictions: bool = False, corpora=None, predictions=None) -> dict:
    """Metrics of ``classifier`` on ``data`` (a JSONL path, ``"real:<split>"`` or a list of examples;
    real texts are read from the corpora folder ``corpora``, else its default lookup).

    Returns label metrics (macro-F1, partisan precision/recall, ROC-AUC, accuracy) at the
    classifier's threshold (or ``threshold``) and span metrics (character F1 over all texts and
    over gold-partisan texts, token IoU-F1). Examples without span annotation are left out of the
    span metrics. ``predictions``: the classifier's predictions for ``data`` at that threshold,
    when already computed (the model is then not run).
    """
    examples = load_examples(data, corpora)
    thr = classifier.threshold if threshold is None else threshold
    preds = predictions  # already computed at this threshold (training's dev run), else run here
    if preds is None:
        preds = classifier.predict([e.text for e in examples], batch_size=batch_size, threshold=thr)
    y = [int(e.label == PARTISAN) for e in examples]
    metrics = label_metrics(y, [p.score for p in preds], thr)
    with_spans = [k for k, e in enumerate(examples) if e.spans is not None]
    metrics.update(span_metrics(
        [examples[k].text for k in with_spans],
        [[(s.start, s.end) for s in preds[k].spans] for k in with_spans],
        [[(s.start, s.end) for s in examples[k].spans] for k in with_spans],
        [bool(y[k]) for k in with_spans],
    ))
    metrics["n"] = len(examples)
    metrics["n_partisan"] = sum(y)
    if return_predictions:
        metrics["predictions"] = [p.to_dict() for p in preds]
    return metrics
