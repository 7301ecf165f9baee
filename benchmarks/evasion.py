#!/usr/bin/env python
"""Evasion benchmark (issue 10): does the model still catch posts written to dodge monitoring?

    .venv/bin/python benchmarks/evasion.py [--model models/netral-mini] [--out benchmarks/results/evasion.json]

On the project's own test split (``netral_nlp/data/test.jsonl``, partisan and neutral texts),
every text is rewritten by each obfuscation of :mod:`netral_nlp.obfuscate` on its own (every
eligible word, number or punctuation run: ``rate=1.0``) and by a few combinations, including
``mixed`` (1-3 kinds drawn at random per text). Gold spans move with the text. For each
variant, with the model's normaliser as shipped now ("with the evasion steps") and with the
steps of ``NormalizationConfig.EVASION_STEPS`` switched off ("without", the normaliser the
model was trained with), it reports:

* recall of ``partisan`` at the model's threshold, and its ratio to the clean recall of the
  same normaliser (target >= 0.90);
* the false-positive rate on the neutral texts against the clean one (target: at most clean + 1 point);
* span validity: every predicted span has ``0 <= start < end <= len(text)`` and
  ``text[start:end] == span.text`` on the obfuscated input (target: all); and the mean
  character F1 of the predicted spans against the moved gold spans on partisan texts;

and the cost of the new steps on clean text: ``predict`` throughput with the steps on against
off, measured side by side (median of ``--repeats`` interleaved runs; target: ratio >= 0.90),
the same against the normaliser before issue 10 (loaded from git, ``--pre-rev``), the raw
normaliser time per text, and the one-off lexicon load time. Prints Markdown, writes JSON.

``--slang-tsv PATH`` also scores the clean and ``mixed`` variants with an extra informal ->
formal table loaded from PATH (``netral_nlp.normalize.load_slang_tsv``; e.g. the indo-collex
dictionary in ``../shared/corpora/normalization/``, which the project cannot ship), to see
whether it helps.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import types
from dataclasses import replace
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHIPPED = ROOT / "models" / "netral-mini"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "evasion.json"
PRE_REV = "373389d^"  # the last commit before the evasion steps were added to netral_nlp/normalize.py
COMBOS = {
    "leet+spaced": ["leet", "spaced"],
    "random_case+dot_joined": ["random_case", "dot_joined"],
    "leet+random_case+dotted": ["leet", "random_case", "dotted"],
    "split+random_case": ["random_case", "split"],  # issue 20: "PiL.iH nO.mOr 2"
    "split_space+random_case": ["random_case", "split_space"],  # issue 20: "PiL iH nO mOr 2"
    "dotted+random_case": ["random_case", "dotted"],  # issue 20: "C-o-B-l-O-s"
    "homoglyph+strike+zero_width": ["homoglyph", "strike", "zero_width"],
    "fullwidth+keycap+repeat_punct": ["fullwidth", "keycap", "repeat_punct"],
    "mixed": None,
}
TARGETS = {"recall_ratio_min": 0.90, "fpr_max_increase": 0.01, "throughput_ratio_min": 0.90, "spans_valid": 1.0}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pre_issue_normalizer(rev: str):
    """The Normalizer class of ``netral_nlp/normalize.py`` at git ``rev`` (None without git)."""
    try:
        src = subprocess.run(["git", "show", f"{rev}:netral_nlp/normalize.py"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as err:
        log(f"no pre-issue normaliser ({err})")
        return None
    mod = types.ModuleType("netral_normalize_pre_issue")
    sys.modules[mod.__name__] = mod  # dataclasses look their module up
    exec(compile(src, f"{rev}:netral_nlp/normalize.py", "exec"), mod.__dict__)
    return mod.Normalizer()


def span_checks(text: str, spans) -> bool:
    return all(0 <= s.start < s.end <= len(text) and text[s.start:s.end] == s.text for s in spans)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=None, help="model directory (default: the shipped model)")
    ap.add_argument("--data", type=Path, default=None, help="test JSONL (default: the packaged test split)")
    ap.add_argument("--seed", type=int, default=10)
    ap.add_argument("--rate", type=float, default=1.0, help="share of eligible words each obfuscation rewrites")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--repeats", type=int, default=5, help="interleaved timing runs (median)")
    ap.add_argument("--pre-rev", default=PRE_REV, help="git revision of the normaliser before the evasion steps")
    ap.add_argument("--slang-tsv", type=Path, default=None, help="also score clean and mixed with this informal->formal TSV")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import warnings

    warnings.filterwarnings("ignore")
    import numpy as np
    import torch

    from netral_nlp import NeutralityClassifier
    from netral_nlp.data import as_examples, packaged_corpus
    from netral_nlp.evaluation.metrics import char_f1
    from netral_nlp.normalize import EVASION_STEPS, LEXICON_PATH, Normalizer, lexicon, load_slang_tsv
    from netral_nlp.obfuscate import KINDS, obfuscate_example

    torch.set_num_threads(args.threads)
    test = as_examples(args.data) if args.data else packaged_corpus("test")
    clf = NeutralityClassifier.from_pretrained(args.model)
    model_name = str(args.model) if args.model else "shipped model (models/netral-mini)"
    cfg = clf.settings.normalization
    normalizers = {
        "with": Normalizer(replace(cfg, **dict.fromkeys(EVASION_STEPS, True))),
        "without": Normalizer(replace(cfg, **dict.fromkeys(EVASION_STEPS, False))),
    }
    if args.slang_tsv:
        table = load_slang_tsv(args.slang_tsv)
        normalizers["with_dictionary"] = Normalizer(normalizers["with"].config, slang=table)
        log(f"informal->formal table {args.slang_tsv}: {len(table):,} entries")
    log(f"{model_name}: {clf!r}; {len(test)} test texts, threshold {clf.threshold:.4f}")

    # ------------------------------------------------------------------ the variants
    variants: dict[str, tuple[list[str] | None, list]] = {"clean": ([], test)}
    for name, kinds in [(k, [k]) for k in KINDS] + list(COMBOS.items()):
        rng = random.Random(f"{args.seed}-{name}")
        variants[name] = (kinds, [obfuscate_example(e, rng, kinds, rate=args.rate) for e in test])
    changed = {name: sum(a.text != b.text for a, b in zip(test, exs)) for name, (_, exs) in variants.items()}

    # ------------------------------------------------------------------ quality under each variant
    results: dict[str, dict] = {}
    for name, (kinds, exs) in variants.items():
        row = {"kinds": kinds if kinds is not None else "1-3 drawn per text", "texts_changed": changed[name]}
        for mode, norm in normalizers.items():
            if mode == "with_dictionary" and name not in ("clean", "mixed"):
                continue
            clf.normalizer = norm
            preds = clf.predict([e.text for e in exs], batch_size=args.batch_size)
            part = [p.label == "partisan" for e, p in zip(exs, preds) if e.label == "partisan"]
            neut = [p.label == "partisan" for e, p in zip(exs, preds) if e.label != "partisan"]
            f1 = [char_f1([(s.start, s.end) for s in p.spans], [(g.start, g.end) for g in e.spans or []])
                  for e, p in zip(exs, preds) if e.label == "partisan"]
            valid = [span_checks(e.text, p.spans) for e, p in zip(exs, preds)]
            row[mode] = {"recall": float(np.mean(part)), "fpr": float(np.mean(neut)),
                         "spans_valid": float(np.mean(valid)), "spans": int(sum(len(p.spans) for p in preds)),
                         "span_char_f1_partisan": float(np.mean(f1))}
        results[name] = row
        log(f"{name:<32} recall {row['with']['recall']:.3f} (without the steps {row['without']['recall']:.3f}), "
            f"FPR {row['with']['fpr']:.3f} ({row['without']['fpr']:.3f})")
    for row in results.values():
        for mode in (m for m in normalizers if m in row):
            clean = results["clean"][mode]
            r = row[mode]
            r["recall_ratio"] = r["recall"] / clean["recall"] if clean["recall"] else None
            r["fpr_increase"] = r["fpr"] - clean["fpr"]
            r["meets_targets"] = bool(r["recall_ratio"] is not None and r["recall_ratio"] >= TARGETS["recall_ratio_min"]
                                      and r["fpr_increase"] <= TARGETS["fpr_max_increase"] + 1e-12
                                      and r["spans_valid"] >= TARGETS["spans_valid"])

    # ------------------------------------------------------------------ cost on clean text
    clean_texts = [e.text for e in test]
    mixed_texts = [e.text for e in variants["mixed"][1]]
    lexicon.cache_clear()
    t = time.perf_counter()
    n_entries = len(lexicon())
    lexicon_ms = (time.perf_counter() - t) * 1000
    timed = {k: v for k, v in normalizers.items() if k != "with_dictionary"}
    pre = pre_issue_normalizer(args.pre_rev)
    if pre is not None:
        timed["pre_issue"] = pre
    norm_s: dict[str, list[float]] = {k: [] for k in timed}
    norm_mixed_s: dict[str, list[float]] = {k: [] for k in timed}
    predict_s: dict[str, list[float]] = {k: [] for k in timed}
    for norm in timed.values():  # warm-up
        clf.normalizer = norm
        clf.predict(clean_texts, batch_size=args.batch_size)
    for _ in range(args.repeats):
        for k, norm in timed.items():
            t = time.perf_counter()
            for _ in range(5):
                for x in clean_texts:
                    norm(x)
            norm_s[k].append((time.perf_counter() - t) / 5)
            t = time.perf_counter()
            for x in mixed_texts:
                norm(x)
            norm_mixed_s[k].append(time.perf_counter() - t)
            clf.normalizer = norm
            t = time.perf_counter()
            clf.predict(clean_texts, batch_size=args.batch_size)
            predict_s[k].append(time.perf_counter() - t)
    clf.normalizer = normalizers["with"]
    n = len(clean_texts)
    throughput = {k: {"predict_seconds_median": median(v), "predict_seconds_all": v, "texts_per_s": n / median(v),
                      "normalize_us_per_text_clean": median(norm_s[k]) / n * 1e6,
                      "normalize_us_per_text_mixed_obfuscations": median(norm_mixed_s[k]) / n * 1e6}
                  for k, v in predict_s.items()}
    ratios = {"with_vs_without": median(predict_s["without"]) / median(predict_s["with"])}
    if "pre_issue" in predict_s:
        ratios["with_vs_pre_issue"] = median(predict_s["pre_issue"]) / median(predict_s["with"])

    report = {
        "model": model_name, "model_repr": repr(clf), "test_set": str(args.data or "netral_nlp/data/test.jsonl"),
        "texts": len(test), "partisan": sum(e.label == "partisan" for e in test),
        "neutral": sum(e.label != "partisan" for e in test), "threshold": clf.threshold,
        "seed": args.seed, "rate": args.rate, "threads": args.threads, "batch_size": args.batch_size,
        "repeats": args.repeats, "evasion_steps": list(EVASION_STEPS), "targets": TARGETS,
        "date": time.strftime("%Y-%m-%d %H:%M:%S"), "load_average_at_end": os.getloadavg(),
        "lexicon": {"entries": n_entries, "bytes": LEXICON_PATH.stat().st_size, "load_ms": lexicon_ms},
        "variants": results, "throughput": throughput, "throughput_ratios": ratios,
        "pre_issue_rev": args.pre_rev if pre is not None else None,
    }
    try:
        from speed import cpu_description  # benchmarks/ is on sys.path when run as a script

        report["cpu"] = cpu_description()
    except ImportError:
        pass
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    # ------------------------------------------------------------------ Markdown
    c = results["clean"]
    lines = [f"{model_name}; {len(test)} test texts ({report['partisan']} partisan, {report['neutral']} neutral), "
             f"threshold {clf.threshold:.3f}, rate {args.rate}, seed {args.seed}.", "",
             f"Clean: recall {c['with']['recall']:.3f}, FPR {c['with']['fpr']:.3f} with the evasion steps; "
             f"recall {c['without']['recall']:.3f}, FPR {c['without']['fpr']:.3f} without.", "",
             "| obfuscation | texts changed | recall / clean with steps (>= 0.90) | without | FPR with (clean "
             f"{c['with']['fpr']:.3f}) | without | spans valid | span char-F1 with / without |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, row in results.items():
        if name == "clean":
            continue
        w, o = row["with"], row["without"]
        lines.append(f"| {name} | {row['texts_changed']} | {w['recall']:.3f} / {w['recall_ratio']:.2f}"
                     f"{'' if w['meets_targets'] else ' (missed)'} | {o['recall']:.3f} / {o['recall_ratio']:.2f} | "
                     f"{w['fpr']:.3f} | {o['fpr']:.3f} | {w['spans_valid']:.3f} | "
                     f"{w['span_char_f1_partisan']:.2f} / {o['span_char_f1_partisan']:.2f} |")
    if "with_dictionary" in c:
        m, d = results["mixed"], "with_dictionary"
        lines += ["", f"With the informal->formal table of {args.slang_tsv.name}: clean recall {c[d]['recall']:.3f} "
                  f"(without it {c['with']['recall']:.3f}), FPR {c[d]['fpr']:.3f} ({c['with']['fpr']:.3f}); mixed "
                  f"recall {m[d]['recall']:.3f} ({m['with']['recall']:.3f}), FPR {m[d]['fpr']:.3f} ({m['with']['fpr']:.3f})."]
        report["slang_tsv"] = str(args.slang_tsv)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    lines += ["", "| normaliser | predict texts/s (clean) | normalise us/text clean | us/text obfuscated (mixed) |",
              "| --- | ---: | ---: | ---: |"]
    for k, r in throughput.items():
        lines.append(f"| {k} | {r['texts_per_s']:.1f} | {r['normalize_us_per_text_clean']:.0f} | "
                     f"{r['normalize_us_per_text_mixed_obfuscations']:.0f} |")
    lines += ["", "Throughput ratios (>= 0.90): " + ", ".join(f"{k} {v:.3f}" for k, v in ratios.items())
              + f"; lexicon: {n_entries:,} entries, {report['lexicon']['bytes']:,} bytes, loaded in {lexicon_ms:.0f} ms."]
    print("\n".join(lines))
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
