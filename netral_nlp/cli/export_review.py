"""``netral export-review``: scored rows to review, as Label Studio tasks with the model's
pre-annotations (see :mod:`netral_nlp.review`)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from ..i18n import LANGUAGES


def add_parser(sub) -> None:
    p = sub.add_parser(
        "export-review", help="write Label Studio tasks for the scored rows to review",
        description="Write Label Studio tasks (JSON import format) for the rows of a scored file to review: "
                    "the partisan rows, most confident first, and optionally a random sample of neutral rows. "
                    "The model's label and spans are pre-annotations. The texts are read again from the file "
                    "that was scored (--texts).")
    p.add_argument("scored", help="the output of netral score (.csv, .jsonl, .parquet or .xlsx)")
    p.add_argument("--texts", help="the file that was scored, for the texts (default: the scored file's own "
                                   "text column, if it has one)")
    p.add_argument("-o", "--output", required=True, help="tasks file to write (.json)")
    p.add_argument("--config-out", metavar="XML", help="also write the Label Studio labelling config here")
    p.add_argument("--limit", type=int, help="at most N partisan rows (default: all)")
    p.add_argument("--sample-neutral", type=int, default=0, metavar="N",
                   help="also N neutral rows drawn at random, to audit what the model lets through")
    p.add_argument("--seed", type=int, default=0, help="seed of the neutral sample (default: 0)")
    p.add_argument("--text-column", default="text", help="column with the text (default: text)")
    p.add_argument("--sheet", help=".xlsx --texts: sheet name or 0-based index (default: the first)")
    p.add_argument("--model-version", default="netral", help="model name shown with the pre-annotations")
    p.add_argument("--lang", choices=LANGUAGES, help="language of the labelling instructions (default: id)")


def run(args) -> int:
    from ..review.labelstudio import label_config, tasks_for_review
    from ..review.select import select_for_review

    out = Path(args.output)
    if not out.parent.is_dir():
        raise UsageError(f"{out.parent}: the output directory does not exist")
    key_col, items = select_for_review(args.scored, args.texts, args.text_column, limit=args.limit,
                                       sample_neutral=args.sample_neutral, seed=args.seed, sheet=args.sheet)
    tasks = tasks_for_review(items, key_col, model_version=args.model_version)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(out)
    if args.config_out:
        Path(args.config_out).write_text(label_config(args.lang), encoding="utf-8")
    n_partisan = sum(1 for it in items if it.label == "partisan")
    print(f"netral: {len(tasks):,} task(s) ({n_partisan:,} partisan, {len(tasks) - n_partisan:,} neutral) -> {out}"
          + (f"; config {args.config_out}" if args.config_out else ""), file=sys.stderr)
    return EXIT_OK
