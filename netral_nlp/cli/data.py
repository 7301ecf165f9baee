"""``netral data fetch`` and ``netral data status``: the corpora folder of real Indonesian text
(:mod:`netral_nlp.corpora`)."""
from __future__ import annotations

import sys

from ..errors import EXIT_OK, EXIT_USAGE


def add_parser(sub) -> None:
    p = sub.add_parser("data", help="fetch and check the real corpora (public sources) the project reads")
    dsub = p.add_subparsers(dest="data_command", required=True)
    f = dsub.add_parser("fetch", help="build the corpora folder from upstream (default) or a mirror, verified by sha1")
    f.add_argument("--mirror", help="a URL or folder laid out like the corpora folder (an office mirror)")
    f.add_argument("--target", help="where to build it (default: $NETRAL_CORPORA, else ~/.cache/netral-nlp/corpora)")
    f.add_argument("--only", help="comma-separated uses (annotations, fine-tuning, pretraining), folders "
                   "(indonlu, extra) or sources (indonlu/smsa); default: every file")
    f.add_argument("--upstream-url", default=None,
                   help="base URL for upstream files, laid out <repository>/<commit>/<path> "
                   "(default https://raw.githubusercontent.com)")
    f.add_argument("--quiet", action="store_true", help="no progress bars")
    s = dsub.add_parser("status", help="list the corpora files: present, verified, rebuilt, changed or missing")
    s.add_argument("--corpora", help="the corpora folder (default: the one the library reads)")


def run(args) -> int:
    from ..corpora import FetchFailed, fetch, status
    from ..corpora.manifest import RAW_GITHUB

    if args.data_command == "fetch":
        try:
            fetch(args.target, mirror=args.mirror, only=args.only, upstream=args.upstream_url or RAW_GITHUB,
                  progress=not args.quiet)
        except FetchFailed as err:
            print(f"netral data fetch: {err}", file=sys.stderr)
            return EXIT_USAGE
        return EXIT_OK
    rows = status(args.corpora)
    counts = rows.pop()["annotations"]
    print(f"corpora folder: {rows[0]['folder']}" if rows else "empty manifest")
    width = max(len(r["path"]) for r in rows)
    for r in rows:
        print(f"{r['path']:<{width}}  {r['state']:<8}  {r['how']:<8}  {r['used_by']:<34}  {r['licence']}")
    ok = all(r["state"] in ("verified", "rebuilt") for r in rows)
    if counts is not None:
        print(f"annotated texts: {counts['resolved']} resolved, {counts['moved']} at a new row, "
              f"{counts['missing']} missing, {len(counts['broken'])} not matching their sha1; sources absent: "
              f"{', '.join(counts['absent_sources']) or 'none'}")
        ok = ok and not counts["broken"]
    return EXIT_OK if ok else EXIT_USAGE
