"""The ``netral`` command: ``netral score``, ``netral train``, ``netral evaluate``."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_ROW_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line, the model or the input file: exit code 2."""


def _add_train(sub) -> None:
    p = sub.add_parser("train", help="fine-tune an encoder on JSONL data and write a model directory")
    p.add_argument("--config", help="TOML training recipe (e.g. models/netral-mini.toml); flags override it")
    p.add_argument("--base-model", help="HF id or local encoder directory (default indobenchmark/indobert-base-p1)")
    p.add_argument("--train", help="training JSONL (default: the recipe's, or the packaged corpus)")
    p.add_argument("--dev", help="dev JSONL, used to pick the threshold and report metrics")
    p.add_argument("--output-dir", "-o", help="where to write the model directory")
    for name, typ in (("epochs", float), ("batch-size", int), ("learning-rate", float), ("max-length", int),
                      ("stride", int), ("token-loss-weight", float), ("seed", int), ("max-steps", int),
                      ("mlm-epochs", float)):
        p.add_argument(f"--{name}", type=typ)
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_evaluate(sub) -> None:
    p = sub.add_parser("evaluate", help="label and span metrics of a model on a JSONL test set")
    p.add_argument("--model", help="model directory or HF id (default: the shipped model)")
    p.add_argument("--data", required=True, help="JSONL with gold labels (and spans)")
    p.add_argument("--output", help="also write the metrics as JSON here")
    p.add_argument("--threshold", type=float, help="decision threshold (default: the model's)")
    p.add_argument("--batch-size", type=int, default=32)


def _add_score(sub) -> None:
    try:
        from .scoring import add_score_parser
    except ImportError:  # batch scoring not built yet
        return
    add_score_parser(sub)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="netral", description="Detect partisan posts by Indonesian civil servants.")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_score(sub)
    _add_train(sub)
    _add_evaluate(sub)
    return parser


def cmd_train(args) -> int:
    from .data import packaged_corpus
    from .training import TrainConfig, train

    overrides = {
        "base_model": args.base_model, "epochs": args.epochs, "batch_size": args.batch_size,
        "learning_rate": args.learning_rate, "max_length": args.max_length, "stride": args.stride,
        "token_loss_weight": args.token_loss_weight, "seed": args.seed, "max_steps": args.max_steps,
        "mlm_epochs": args.mlm_epochs,
    }
    recipe: dict = {}
    if args.config:
        import tomllib

        with open(args.config, "rb") as fh:
            recipe = tomllib.load(fh)
        recipe = recipe.get("train", recipe)
    cfg = TrainConfig.from_dict({**recipe, **{k: v for k, v in overrides.items() if v is not None}})
    if args.base_model:
        cfg.scratch = None
    base = Path(args.config).parent if args.config else Path.cwd()

    def pick(flag, key):
        if flag:
            return flag
        if recipe.get(key):
            return str((base / recipe[key]).resolve()) if not os.path.isabs(recipe[key]) else recipe[key]
        return None

    train_path, dev_path, out = pick(args.train, "train"), pick(args.dev, "dev"), pick(args.output_dir, "output_dir")
    if not out:
        raise UsageError("--output-dir is required (or output_dir in the --config recipe)")
    train_data = train_path or packaged_corpus("train")
    dev_data = dev_path or (None if train_path else packaged_corpus("dev"))
    result = train(train_data, dev_data, output_dir=out, config=cfg, progress=not args.quiet)
    print(f"model written to {result.output_dir} ({result.train_seconds / 60:.1f} min)")
    if result.dev_metrics:
        print(json.dumps({k: v for k, v in result.dev_metrics.items() if k != "predictions"}, indent=2))
    return EXIT_OK


def cmd_evaluate(args) -> int:
    from .classifier import NeutralityClassifier
    from .evaluation import evaluate

    clf = NeutralityClassifier.from_pretrained(args.model)
    metrics = evaluate(clf, args.data, batch_size=args.batch_size, threshold=args.threshold)
    width = max(len(k) for k in metrics)
    for k, v in metrics.items():
        print(f"{k:<{width}}  {v:.4f}" if isinstance(v, float) else f"{k:<{width}}  {v}")
    if args.output:
        Path(args.output).write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    handlers = {"train": cmd_train, "evaluate": cmd_evaluate}
    if args.command == "score":
        from .scoring import cmd_score

        handlers["score"] = cmd_score
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        print("netral: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # one line for users; the traceback with --verbose
        if args.verbose:
            raise
        from .classifier import ModelNotAvailableError
        from .data import DataError

        known = (UsageError, ModelNotAvailableError, DataError, FileNotFoundError, ValueError, OSError, TypeError)
        kind = "error" if isinstance(err, known) else f"unexpected {type(err).__name__}"
        print(f"netral: {kind}: {err}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
