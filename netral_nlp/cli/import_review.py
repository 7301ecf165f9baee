"""``netral import-review``: a Label Studio JSON export back to the training JSONL format,
every task that does not make it reported (see :mod:`netral_nlp.review`)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import EXIT_OK, EXIT_ROW_ERRORS, UsageError

SHOWN = 20  # problems listed on stderr; --problems writes them all


def add_parser(sub) -> None:
    p = sub.add_parser(
        "import-review", help="turn a Label Studio JSON export into training JSONL",
        description="Turn a Label Studio JSON export of reviewed tasks into the project's training JSONL "
                    "(id, text, label, spans). Offsets are checked against the text. Tasks that were skipped, "
                    "never annotated, annotated inconsistently or with conflicting annotations are reported "
                    "(exit code 1), never dropped silently.")
    p.add_argument("export", help="Label Studio export, JSON format (a list of tasks)")
    p.add_argument("-o", "--output", required=True, help="training JSONL to write")
    p.add_argument("--prefer", choices=("agree", "latest"), default="agree",
                   help="several annotations that disagree: report a conflict (agree, default) or take the "
                        "latest; a ground-truth annotation always wins")
    p.add_argument("--problems", metavar="JSONL", help="also write every task that was not imported, with why")
    p.add_argument("--tasks", metavar="JSON", help="the tasks file of netral export-review: its tasks missing from "
                                                   "the export are reported too")


def run(args) -> int:
    from ..data import parse_example
    from ..review.labelstudio import read_export

    src, out = Path(args.export), Path(args.output)
    if not src.is_file():
        raise UsageError(f"{src}: no such export file")
    try:
        tasks = json.loads(src.read_text(encoding="utf-8"))
    except ValueError as err:
        raise UsageError(f"{src}: not JSON ({err}); export the project in Label Studio's JSON format") from err
    sent = None
    if args.tasks:
        try:
            sent = json.loads(Path(args.tasks).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise UsageError(f"{args.tasks}: cannot read the tasks file: {err}") from err
    try:
        result = read_export(tasks, prefer=args.prefer, sent=sent)
    except ValueError as err:
        raise UsageError(f"{src}: {err}") from err
    for rec in result.examples:
        parse_example(rec, f"{src}: task {rec['review']['task']}")  # the training format's own checks
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for rec in result.examples:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(out)
    if args.problems:
        Path(args.problems).write_text("".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n"
                                               for p in result.problems), encoding="utf-8")
    for p in result.problems[:SHOWN]:
        print(f"netral: task {p.task}" + (f" (key {p.key})" if p.key is not None else "") + f": {p.kind}: {p.detail}",
              file=sys.stderr)
    if len(result.problems) > SHOWN:
        print(f"netral: ... and {len(result.problems) - SHOWN:,} more" +
              ("" if args.problems else " (--problems FILE lists them all)"), file=sys.stderr)
    counts = result.counts()
    rest = ", ".join(f"{counts[k]:,} {k}" for k in ("skipped", "conflict", "invalid", "missing") if k in counts)
    print(f"netral: {counts['examples']:,} reviewed example(s) -> {out}" + (f"; not imported: {rest}" if rest else ""),
          file=sys.stderr)
    return EXIT_ROW_ERRORS if result.problems else EXIT_OK
