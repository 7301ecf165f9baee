"""Validate a hand-written corpus part (quote-based spans) and print its statistics.

Usage: python tools/check_part.py corpus/parts/NAME.jsonl

A part line looks like:
{"text": "...", "label": "partisan", "register": "tweet",
 "spans": [{"quote": "exact substring of text", "category": "vote_call"}]}
"""
from __future__ import annotations

import collections
import json
import sys

CATEGORIES = {"endorsement", "vote_call", "attack", "campaign_symbol", "campaign_sharing",
              "campaign_activity", "abuse_of_office"}
REGISTERS = {"tweet", "facebook", "instagram", "whatsapp", "article", "statement"}


def check(path: str) -> int:
    errors = 0
    seen: set[str] = set()
    labels: collections.Counter[str] = collections.Counter()
    regs: collections.Counter[str] = collections.Counter()
    cats: collections.Counter[str] = collections.Counter()
    lengths = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                ex = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"line {n}: invalid JSON: {e}")
                errors += 1
                continue
            text, label, reg = ex.get("text"), ex.get("label"), ex.get("register")
            spans = ex.get("spans", [])
            if not isinstance(text, str) or not text.strip():
                print(f"line {n}: empty text")
                errors += 1
                continue
            if text in seen:
                print(f"line {n}: duplicate text")
                errors += 1
            seen.add(text)
            if label not in {"partisan", "neutral"}:
                print(f"line {n}: bad label {label!r}")
                errors += 1
            if reg not in REGISTERS:
                print(f"line {n}: bad register {reg!r}")
                errors += 1
            if label == "neutral" and spans:
                print(f"line {n}: neutral example has spans")
                errors += 1
            if label == "partisan" and not spans:
                print(f"line {n}: partisan example without spans")
                errors += 1
            for s in spans:
                q, c = s.get("quote"), s.get("category")
                if c not in CATEGORIES:
                    print(f"line {n}: bad category {c!r}")
                    errors += 1
                if not q or q not in text:
                    print(f"line {n}: quote not found in text: {q!r}")
                    errors += 1
                elif q != q.strip():
                    print(f"line {n}: quote has leading/trailing whitespace: {q!r}")
                    errors += 1
                cats[c] += 1
            labels[label] += 1
            regs[reg] += 1
            lengths.append(len(text))
    print(f"{path}: {sum(labels.values())} examples, {errors} errors")
    print("labels:", dict(labels))
    print("registers:", dict(regs))
    print("span categories:", dict(cats))
    if lengths:
        print(f"text length: min {min(lengths)}, max {max(lengths)}, mean {sum(lengths)/len(lengths):.0f}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(check(sys.argv[1]))
