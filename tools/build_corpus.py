"""Build netral_nlp/data/{train,dev,test}.jsonl from the hand-written parts in corpus/parts/.

Each part line carries spans as quotes (``{"quote": ..., "category": ...}``, first occurrence);
this resolves them to character offsets, drops exact duplicates, groups near-duplicates (char
5-gram Jaccard >= 0.5) and the two halves of each contrast pair, and splits the groups about
70/15/15 into train/dev/test, stratified by label and length class, with a fixed seed.

    python tools/build_corpus.py            # rewrite the splits
    python tools/build_corpus.py --check    # only print statistics
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from netral_nlp.data import near_duplicate_pairs  # noqa: E402

PARTS = ROOT / "corpus" / "parts"
OUT = ROOT / "netral_nlp" / "data"
SEED = 20291


def load_parts() -> list[dict]:
    out = []
    for path in sorted(PARTS.glob("*.jsonl")):
        prefix = path.stem.split("_")[0]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            ex = json.loads(line)
            text = ex["text"]
            spans = []
            for s in ex.get("spans", []):
                start = text.index(s["quote"])
                spans.append({"start": start, "end": start + len(s["quote"]), "category": s["category"]})
            spans.sort(key=lambda s: (s["start"], s["end"]))
            out.append({"id": f"{prefix}-{n + 1:04d}", "text": text, "label": ex["label"], "spans": spans,
                        "register": ex["register"], "_part": prefix, "_line": n})
    return out


def groups_for(examples: list[dict]) -> list[int]:
    parent = list(range(len(examples)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    for i, j, _ in near_duplicate_pairs([e["text"] for e in examples], threshold=0.5):
        union(i, j)
    pairs: dict[int, int] = {}
    for k, e in enumerate(examples):
        if e["_part"] == "h":  # contrast pairs: consecutive lines
            key = e["_line"] // 2
            if key in pairs:
                union(k, pairs[key])
            else:
                pairs[key] = k
    return [find(i) for i in range(len(examples))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    examples = load_parts()
    seen, uniq = set(), []
    for e in examples:
        key = re.sub(r"\s+", " ", e["text"].lower()).strip()
        if key not in seen:
            seen.add(key)
            uniq.append(e)
    print(f"{len(examples)} examples, {len(examples) - len(uniq)} exact duplicates dropped")
    examples = uniq
    groups = groups_for(examples)
    sizes = collections.Counter(groups)
    print(f"{len(sizes)} groups; {sum(1 for v in sizes.values() if v > 1)} with more than one text")
    strata = [f"{e['label']}/{'long' if len(e['text']) >= 300 else 'short'}" for e in examples]
    skf = StratifiedGroupKFold(n_splits=7, shuffle=True, random_state=SEED)
    folds = np.zeros(len(examples), dtype=int)
    for f, (_, idx) in enumerate(skf.split(np.zeros(len(examples)), strata, groups)):
        folds[idx] = f
    split_of = {0: "test", 1: "dev"}
    splits: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    for e, f in zip(examples, folds):
        splits[split_of.get(int(f), "train")].append(e)
    for name, rows in splits.items():
        labels = collections.Counter(e["label"] for e in rows)
        cats = collections.Counter(s["category"] for e in rows for s in e["spans"])
        print(f"{name}: {len(rows)} ({dict(labels)}); spans {sum(cats.values())}")
    cats = collections.Counter(s["category"] for e in examples for s in e["spans"])
    print("span categories (all):", dict(cats))
    print("registers (all):", dict(collections.Counter(e["register"] for e in examples)))
    if args.check:
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in splits.items():
        with (OUT / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for e in sorted(rows, key=lambda e: e["id"]):
                d = {k: v for k, v in e.items() if not k.startswith("_")}
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    print(f"wrote {OUT}/{{train,dev,test}}.jsonl")
    return 0


if __name__ == "__main__":
    sys.exit(main())
