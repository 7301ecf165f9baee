#!/usr/bin/env python
"""Time to fine-tune IndoBERT-base-p1 with netral-nlp, per epoch of the packaged corpus, on this machine.

    .venv/bin/python benchmarks/fine_tune_time.py                  # CPU, 2 threads, a few minutes
    .venv/bin/python benchmarks/fine_tune_time.py --device cuda --autocast bf16 --batch-size 32

Builds the model ``netral train --base-model indobenchmark/indobert-base-p1`` builds (IndoBERT-base-p1's
own config and tokenizer from ``../shared/corpora/indobert-tokenizers``; random weights, which cost
the same as the real ones), turns the training split into windows with netral's own featurizer and
the notebook's settings (max_length 256, stride 64), and times ``--steps`` optimizer steps (forward,
backward, AdamW) on batches drawn as the trainer draws them (similar lengths together). The epoch
time is the measured seconds per padded token position times the positions of one epoch. Writes
``benchmarks/results/fine_tune_time.json``. Not part of the tests.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.speed import P1, cpu_description  # noqa: E402


def batches_by_length(lengths: list[int], batch_size: int, seed: int = 0) -> list[list[int]]:
    """Indices in batches of similar length (sorted, then the batches shuffled), like
    ``train_sampling_strategy="group_by_length"``."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]
    random.Random(seed).shuffle(batches)
    return batches


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--max-length", type=int, default=256)
    ap.add_argument("--stride", type=int, default=64)
    ap.add_argument("--steps", type=int, default=6, help="timed optimizer steps (after one warm-up step)")
    ap.add_argument("--autocast", choices=("none", "bf16", "fp16"), default="none", help="mixed precision (GPU)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fine_tune_time.json")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import torch
    from transformers import AutoConfig, AutoTokenizer

    from netral_nlp.data import packaged_corpus
    from netral_nlp.data.real import corpora_dir
    from netral_nlp.inference.windows import collate
    from netral_nlp.modeling import build_model
    from netral_nlp.settings import NetralSettings
    from netral_nlp.training.features import featurize

    torch.set_num_threads(args.threads)
    folder = corpora_dir() / "indobert-tokenizers" / P1
    tokenizer = AutoTokenizer.from_pretrained(folder)
    config = AutoConfig.from_pretrained(folder)
    settings = NetralSettings(max_length=args.max_length, stride=args.stride)
    examples = packaged_corpus("train")
    feats = featurize(examples, tokenizer, settings)
    lengths = [len(f["input_ids"]) for f in feats]
    batches = batches_by_length(lengths, args.batch_size)
    positions_epoch = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    torch.manual_seed(0)
    model = build_model(config, len(settings.labels), len(settings.tags)).to(args.device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-5, weight_decay=0.01)
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(args.autocast)
    scaler = torch.amp.GradScaler(enabled=args.autocast == "fp16")
    rng = random.Random(1)
    chosen = rng.sample(batches, min(len(batches), args.steps + 1))

    def step(idx: list[int]) -> tuple[float, int]:
        batch = {k: v.to(args.device) for k, v in collate([feats[i] for i in idx], tokenizer.pad_token_id or 0).items()}
        if args.device.startswith("cuda"):
            torch.cuda.synchronize()
        t = time.perf_counter()
        with torch.autocast(device_type=torch.device(args.device).type, dtype=dtype, enabled=dtype is not None):
            loss = model(**batch)["loss"]
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        opt.zero_grad(set_to_none=True)
        if args.device.startswith("cuda"):
            torch.cuda.synchronize()
        return time.perf_counter() - t, int(batch["input_ids"].numel())

    step(chosen[0])  # warm-up
    timed = [step(b) for b in chosen[1:]]
    seconds = sum(s for s, _ in timed)
    positions = sum(p for _, p in timed)
    per_position = seconds / positions
    epoch_s = per_position * positions_epoch
    device_name = torch.cuda.get_device_name(0) if args.device.startswith("cuda") else cpu_description()
    report = {
        "command": "python benchmarks/fine_tune_time.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"device": args.device, "name": device_name, "threads": args.threads, "cpus": os.cpu_count(),
                    "torch": torch.__version__, "python": platform.python_version(),
                    "load_average_at_end": os.getloadavg()},
        "setup": {"model": f"{P1} config (random weights), {sum(p.numel() for p in model.parameters()) / 1e6:.1f}M "
                           "parameters", "tokenizer": P1, "batch_size": args.batch_size,
                  "max_length": args.max_length, "stride": args.stride, "autocast": args.autocast,
                  "train_examples": len(examples), "train_windows": len(feats), "window_tokens": sum(lengths),
                  "padded_positions_per_epoch": positions_epoch, "steps_per_epoch": len(batches)},
        "timed_steps": [{"seconds": round(s, 3), "positions": p} for s, p in timed],
        "seconds_per_step_mean": seconds / len(timed),
        "ms_per_1000_positions": 1e6 * per_position,
        "estimated_epoch_minutes": epoch_s / 60,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{device_name}: {len(timed)} steps of {args.batch_size}, {seconds / len(timed):.2f} s/step; "
          f"one epoch of {len(examples)} examples ({len(feats)} windows, {positions_epoch:,} padded positions, "
          f"{len(batches)} steps): about {epoch_s / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
