#!/usr/bin/env python
"""Does the fast CPU path give the same answers as fp32? Label and span agreement on the test set.

    .venv/bin/python benchmarks/fast_agreement.py [--model models/netral-mini]

Compares ``from_pretrained(model, quantize="torch")`` (torch dynamic int8) and, when onnxruntime is
installed, the ONNX Runtime paths (fp32 and int8) with the fp32 model on
``netral_nlp/data/test.jsonl``: label agreement, mean character F1 of the fast spans against the
fp32 spans (SemEval-2021 Task 5 definition: two empty span sets agree fully), the largest score
difference, and texts/s at this model size. Prints Markdown, writes
``benchmarks/results/fast_agreement.json``.

When the shipped model (``models/netral-mini/model.safetensors``) is missing, a small stand-in
is trained from scratch on ``netral_nlp/data/train.jsonl`` first (a few minutes) and the report
says so.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "netral_nlp" / "data"
SHIPPED = ROOT / "models" / "netral-mini"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "fast_agreement.json"
STAND_IN = {"epochs": 6, "batch_size": 16, "learning_rate": 5e-4, "max_length": 256, "stride": 64, "seed": 42}
STAND_IN_SCRATCH = {"vocab_size": 8000, "hidden_size": 256, "num_hidden_layers": 4, "num_attention_heads": 4,
                    "intermediate_size": 1024, "max_position_embeddings": 512}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def train_stand_in(out: Path) -> Path:
    from netral_nlp import TrainConfig, train
    cfg = TrainConfig.from_dict({"scratch": STAND_IN_SCRATCH, "model_name": "netral-mini-stand-in", **STAND_IN})
    log(f"{SHIPPED / 'model.safetensors'} is missing: training a stand-in model in {out}")
    train(DATA / "train.jsonl", DATA / "dev.jsonl", output_dir=out, config=cfg, progress=False)
    return out


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=None, help="model directory (default: models/netral-mini)")
    ap.add_argument("--test", type=Path, default=DATA / "test.jsonl")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import warnings

    warnings.filterwarnings("ignore")
    import numpy as np
    import torch

    from netral_nlp import NeutralityClassifier, read_jsonl
    from netral_nlp.evaluation.metrics import char_f1

    torch.set_num_threads(args.threads)
    tmp = None
    model_dir, note = args.model, "given model"
    if model_dir is None:
        if (SHIPPED / "model.safetensors").exists():
            model_dir, note = SHIPPED, "shipped model models/netral-mini"
        else:
            tmp = tempfile.TemporaryDirectory(prefix="netral-agreement-")
            model_dir = train_stand_in(Path(tmp.name) / "model")
            note = ("STAND-IN: models/netral-mini/model.safetensors did not exist, so a model of the same "
                    f"shape was trained from scratch on train.jsonl ({STAND_IN['epochs']} epochs)")
    texts = [e.text for e in read_jsonl(args.test)]
    systems = {"fp32": NeutralityClassifier.from_pretrained(model_dir, device="cpu"),
               "torch-int8": NeutralityClassifier.from_pretrained(model_dir, device="cpu", quantize="torch")}
    try:
        from netral_nlp.inference.classifier import onnx_classifier

        systems["onnx-fp32"] = onnx_classifier(model_dir, quantize=False, threads=args.threads)
        systems["onnx-int8"] = onnx_classifier(model_dir, quantize=True, threads=args.threads)
    except ImportError as err:
        log(f"no ONNX Runtime path ({err})")
    ref = systems["fp32"]
    log(f"{note}: {ref!r}; {len(texts)} test texts")

    from speed import _ModelClock, cpu_description  # noqa: E402  (benchmarks/ is on sys.path when run as a script)

    preds, times, model_times = {}, {k: [] for k in systems}, {k: [] for k in systems}
    for k, clf in systems.items():  # warm-up, and the predictions compared
        preds[k] = clf.predict(texts, batch_size=args.batch_size)
        clf.backend = _ModelClock(clf.backend)
    for _ in range(args.repeats):  # interleaved, median
        for k, clf in systems.items():
            clf.backend.reset()
            t = time.perf_counter()
            clf.predict(texts, batch_size=args.batch_size)
            times[k].append(time.perf_counter() - t)
            model_times[k].append(clf.backend.seconds)

    base = preds["fp32"]
    rows = {}
    for k in systems:
        p = preds[k]
        same = [a.label == b.label for a, b in zip(base, p)]
        f1 = [char_f1([(s.start, s.end) for s in b.spans], [(s.start, s.end) for s in a.spans]) for a, b in zip(base, p)]
        both = [f for f, a, b in zip(f1, base, p) if a.label == b.label == "partisan"]
        sec = median(times[k])
        rows[k] = {
            "label_agreement": float(np.mean(same)),
            "label_disagreements": int(len(same) - sum(same)),
            "span_char_f1_vs_fp32": float(np.mean(f1)),
            "span_char_f1_vs_fp32_both_partisan": float(np.mean(both)) if both else None,
            "max_abs_score_diff": float(max(abs(a.score - b.score) for a, b in zip(base, p))),
            "partisan": int(sum(x.label == "partisan" for x in p)),
            "spans": int(sum(len(x.spans) for x in p)),
            "seconds_median": sec, "seconds_all": times[k], "texts_per_s": len(texts) / sec,
            "model_seconds_median": median(model_times[k]), "model_seconds_all": model_times[k],
            "speedup_vs_fp32": median(times["fp32"]) / sec,
        }
    report = {"model": str(model_dir.relative_to(ROOT)) if model_dir.is_relative_to(ROOT) else "stand-in (temporary)",
              "model_note": note, "model_repr": repr(ref), "test_set": str(args.test), "texts": len(texts),
              "threads": args.threads, "batch_size": args.batch_size, "repeats": args.repeats,
              "targets": {"label_agreement": 0.99, "span_char_f1_vs_fp32": 0.95},
              "date": time.strftime("%Y-%m-%d %H:%M:%S"), "cpu": cpu_description(),
              "load_average_at_end": os.getloadavg(),
              "systems": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    lines = [f"{note}; {len(texts)} texts of {args.test.name}; batch {args.batch_size}, {args.threads} threads, "
             f"median of {args.repeats} interleaved runs.", "",
             "| path | label agreement (>= 0.99) | span char-F1 vs fp32 (>= 0.95) | max score diff | texts/s | "
             "s (in model) | speed vs fp32 |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for k, r in rows.items():
        ok = k == "fp32" or (r["label_agreement"] >= 0.99 and r["span_char_f1_vs_fp32"] >= 0.95)
        lines.append(f"| {k} | {r['label_agreement']:.3f} ({r['label_disagreements']} differ) | "
                     f"{r['span_char_f1_vs_fp32']:.3f} | {r['max_abs_score_diff']:.4f} | {r['texts_per_s']:.1f} | "
                     f"{r['seconds_median']:.2f} ({r['model_seconds_median']:.2f}) | "
                     f"{r['speedup_vs_fp32']:.2f}x{'' if ok else ' (target missed)'} |")
    print("\n".join(lines))
    log(f"wrote {args.out}")
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
