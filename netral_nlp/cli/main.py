"""The ``netral`` command: ``netral score``, ``train``, ``evaluate``, ``export-review``, ``import-review``, ``data``.

Each command is a module with ``add_parser(subparsers)`` and ``run(args) -> exit code``. Errors
become one line on stderr and exit code 2 (:mod:`netral_nlp.errors`); ``--verbose`` shows the
traceback instead.
"""
from __future__ import annotations

import argparse
import os
import sys

from ..errors import EXIT_USAGE, NetralError
from ..i18n import language
from . import data, evaluate, export_review, import_review, score, train

COMMANDS = {"score": score, "train": train, "evaluate": evaluate, "export-review": export_review,
            "import-review": import_review, "data": data}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="netral", description="Detect partisan posts by Indonesian civil servants.")
    parser.add_argument("--verbose", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS.values():
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        with language(getattr(args, "lang", None)):
            return COMMANDS[args.command].run(args)
    except KeyboardInterrupt:
        print("netral: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # one line for users; the traceback with --verbose
        if args.verbose:
            raise
        known = (NetralError, FileNotFoundError, ValueError, OSError, TypeError)
        kind = "error" if isinstance(err, known) else f"unexpected {type(err).__name__}"
        print(f"netral: {kind}: {err}", file=sys.stderr)
        return EXIT_USAGE
