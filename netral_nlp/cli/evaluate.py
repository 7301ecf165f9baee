"""``netral evaluate``: label and span metrics of a model on a JSONL test set."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import EXIT_OK


def add_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="label and span metrics of a model on a JSONL test set")
    p.add_argument("--model", help="model directory or HF id (default: the shipped model)")
    p.add_argument("--data", required=True, help="JSONL with gold labels (and spans), or real:test / real:dev / "
                   "real:other (the annotated real texts, read from the corpora folder; `netral data fetch`)")
    p.add_argument("--corpora", help="the corpora folder (default: $NETRAL_CORPORA, else the lab's copy beside "
                   "the repository, else what `netral data fetch` built)")
    p.add_argument("--output", help="also write the metrics as JSON here")
    p.add_argument("--threshold", type=float, help="decision threshold (default: the model's)")
    p.add_argument("--batch-size", type=int, default=32)


def run(args) -> int:
    from ..evaluation.evaluate import evaluate
    from ..inference.classifier import NeutralityClassifier

    clf = NeutralityClassifier.from_pretrained(args.model)
    metrics = evaluate(clf, args.data, batch_size=args.batch_size, threshold=args.threshold,
                       corpora=args.corpora)
    width = max(len(k) for k in metrics)
    for k, v in metrics.items():
        print(f"{k:<{width}}  {v:.4f}" if isinstance(v, float) else f"{k:<{width}}  {v}")
    if args.output:
        Path(args.output).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    return EXIT_OK
