"""``netral train``: fine-tune an encoder on JSONL data and write a model directory."""
from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import EXIT_OK, UsageError

NUMERIC_FLAGS = (("epochs", float), ("batch-size", int), ("learning-rate", float), ("max-length", int),
                 ("stride", int), ("token-loss-weight", float), ("seed", int), ("max-steps", int),
                 ("mlm-epochs", float))


def add_parser(sub) -> None:
    p = sub.add_parser("train", help="fine-tune an encoder on JSONL data and write a model directory")
    p.add_argument("--config", help="TOML training recipe (e.g. models/netral-mini.toml); flags override it")
    p.add_argument("--base-model", help="HF id or local encoder directory (default indobenchmark/indobert-base-p1)")
    p.add_argument("--train", nargs="+", help="training JSONL file(s) or real:train (default: the recipe's, "
                   "or the packaged corpus)")
    p.add_argument("--dev", nargs="+", help="dev JSONL file(s) or real:dev, used to calibrate the score, pick "
                   "the threshold and report metrics")
    p.add_argument("--output-dir", "-o", help="where to write the model directory")
    for name, typ in NUMERIC_FLAGS:
        p.add_argument(f"--{name}", type=typ)
    p.add_argument("--corpora", help="the corpora folder for real:<split> and the recipe's real negatives "
                   "(default: $NETRAL_CORPORA, else the lab's copy beside the repository, else what `netral data fetch` built)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    from ..data import packaged_corpus
    from ..data.sources import REAL_PREFIX
    from ..training.config import TrainConfig, read_recipe
    from ..training.trainer import train

    overrides = {name.replace("-", "_"): getattr(args, name.replace("-", "_")) for name, _ in NUMERIC_FLAGS}
    overrides["base_model"] = args.base_model
    recipe = read_recipe(args.config) if args.config else {}
    cfg = TrainConfig.from_dict({**recipe, **{k: v for k, v in overrides.items() if v is not None}})
    if args.base_model:
        cfg.scratch = None
    base = Path(args.config).parent if args.config else Path.cwd()

    def resolve(spec: str) -> str:  # recipe paths are relative to the recipe; real:<split> stays
        return spec if spec.startswith(REAL_PREFIX) or os.path.isabs(spec) else str((base / spec).resolve())

    def pick(flag, key):
        if flag:
            return flag[0] if isinstance(flag, list) and len(flag) == 1 else flag
        value = recipe.get(key)
        if value:
            return [resolve(v) for v in value] if isinstance(value, list) else resolve(value)
        return None

    recipe_base = recipe.get("base_model")
    if not args.base_model and recipe_base and recipe_base.startswith(".") and args.config:
        cfg.base_model = resolve(recipe_base)  # a local encoder directory next to the recipe
    train_path, dev_path, out = pick(args.train, "train"), pick(args.dev, "dev"), pick(args.output_dir, "output_dir")
    if not out:
        raise UsageError("--output-dir is required (or output_dir in the --config recipe)")
    train_data = train_path or packaged_corpus("train")
    dev_data = dev_path or (None if train_path else packaged_corpus("dev"))
    result = train(train_data, dev_data, output_dir=out, config=cfg, progress=not args.quiet,
                   corpora=args.corpora)
    print(f"model written to {result.output_dir} ({result.train_seconds / 60:.1f} min)")
    if result.dev_metrics:
        print(json.dumps({k: v for k, v in result.dev_metrics.items() if k != "predictions"}, indent=2))
    return EXIT_OK
