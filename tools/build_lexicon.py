"""Build netral_nlp/resources/lexicon.txt.gz: the word list the normaliser uses to decide whether
an obfuscated token ("c0bl0s", "p i l i h") is a word it should restore.

It is derived data (single lower-cased words with no context, no texts), so it can be committed:

* every word (ASCII letters, 2+ characters) of the project's own train and dev splits
  (``netral_nlp/data/{train,dev}.jsonl``). The test split is left out on purpose, so that the
  evasion benchmark, which obfuscates the test texts, measures words the normaliser has not seen;
* every word seen at least ``--min-count`` (5) times over all real-text sources in
  ``../shared/corpora`` (read through :mod:`netral_nlp.data.real`): IndoNLU train splits, 2024
  election tweets, and the ``extra/`` news, Wikipedia, legal and technical text;
* the normaliser's slang table (keys and expansions);
* "known tokens": letter+digit tokens that are real in their own right ("p3k", "covid19", "b3",
  "5km", "rp5") seen ``--min-count`` times in the real sources or once in the project's
  train/dev splits. The normaliser leaves these alone instead of reading them as leetspeak.

Each entry has a frequency tier, the number of digits of its count minus one (0: under 10, 1:
10-99, ... 4: 10,000+), counting a project occurrence ten times (the project's words are the
domain's); the normaliser uses it to choose between readings ("d4l4m": "dalam", not "daiam").
The file is the tiers from highest to lowest, each a ``# tier N`` line followed by its entries,
sorted, one a line; gzip with a fixed timestamp, so the output is byte-identical when the inputs
are. Usage:

    python tools/build_lexicon.py                # write the resource
    python tools/build_lexicon.py --check        # print statistics, write nothing
"""
from __future__ import annotations

import argparse
import collections
import gzip
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "netral_nlp" / "resources" / "lexicon.txt.gz"
TOKEN = re.compile(r"[^\W_]+")
TAG = re.compile(r"[#@]([^\W_][\w]*)")
CAMEL = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|_")
WORD = re.compile(r"[a-z]{2,}\Z")
ALNUM = re.compile(r"(?=[a-z]*[0-9])(?=[0-9]*[a-z])[a-z0-9]{2,}\Z")


def tokens(text: str) -> list[str]:
    """Lower-cased tokens; hashtags and mentions are cut at camel case first, so that
    "#BerubahBersama" counts "berubah" and "bersama", not one glued word."""
    text = TAG.sub(lambda m: " " + " ".join(CAMEL.split(m.group(1))) + " ", unicodedata.normalize("NFKC", text))
    return TOKEN.findall(text.lower())


def real_sources(corpora: Path) -> list[str]:
    from netral_nlp.data.real import _INDONLU

    out = [f"indonlu/{k}" for k in _INDONLU]
    out += [f"pemilu2024_tweets/{p.stem}" for p in sorted((corpora / "pemilu2024_tweets").glob("*.csv"))]
    out += [f"extra/{p.stem}" for p in sorted((corpora / "extra").glob("*.txt"))]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", default=None, help="shared corpora folder (default: ../shared/corpora)")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--out", default=str(OUT))
    ap.add_argument("--check", action="store_true", help="print statistics only")
    args = ap.parse_args()

    from netral_nlp.data.real import corpora_dir, iter_source
    from netral_nlp.normalize import SLANG

    corpora = corpora_dir(args.corpora)
    real: collections.Counter[str] = collections.Counter()
    for source in real_sources(corpora):
        n = 0
        for text in iter_source(source, corpora):
            toks = tokens(text)
            real.update(toks)
            n += len(toks)
        print(f"{source:<32} {n:>9,} tokens", file=sys.stderr)
    project: collections.Counter[str] = collections.Counter()
    for split in ("train", "dev"):
        with open(ROOT / "netral_nlp" / "data" / f"{split}.jsonl", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    project.update(tokens(json.loads(line)["text"]))

    frequent = {t for t, n in real.items() if n >= args.min_count}
    words = {t for t in frequent | set(project) if WORD.match(t)}
    words |= {w for pair in SLANG.items() for w in pair if WORD.match(w)}
    known = {t for t in frequent | set(project) if ALNUM.match(t)}
    tiers: dict[int, list[str]] = collections.defaultdict(list)
    for t in words | known:
        count = real[t] + 10 * project[t]
        tiers[min(4, len(str(max(count, 1))) - 1)].append(t)
    print(f"{len(words):,} words ({len(frequent & words):,} from the real sources, "
          f"{len(set(project) & words):,} from the project's train/dev), {len(known):,} known letter+digit tokens; "
          "per tier: " + ", ".join(f"{k}: {len(v):,}" for k, v in sorted(tiers.items())), file=sys.stderr)
    if args.check:
        return 0
    lines = []
    for tier in sorted(tiers, reverse=True):
        lines += [f"# tier {tier}"] + sorted(tiers[tier])
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buf.getvalue())
    print(f"wrote {out} ({out.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
