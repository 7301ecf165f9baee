"""Sample real texts from ../shared/corpora for annotation, and resolve the annotations.

The texts stay outside the repository: batches and annotators' answers live under ``runs/annot``
(git-ignored). What is committed is ``corpus/real/annotations.jsonl`` (source, row, sha1, split,
label, spans as offsets) and ``corpus/real/agreement.json``.

    python tools/real_annotation.py sample --batches 6          # runs/annot/batch_*.jsonl
    python tools/real_annotation.py resolve                      # -> corpus/real/annotations.jsonl
    python tools/real_annotation.py agreement                    # second-pass agreement figures
    python tools/real_annotation.py sample-more --tag m1         # more real-train tweets later on
    python tools/real_annotation.py resolve-more --tag m1        # appended to annotations.jsonl

Splits are by source: real-test holds whole sources that train/dev never see (the tweets about
one candidate, everyday tweets, hotel reviews, news sentences), so its figures say how the model
does on real text of a kind it has not been trained on. Test items that are near-duplicates of a
train/dev item are dropped. Dev is a quarter of the train/dev sources, by near-duplicate group.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from netral_nlp.data import near_duplicate_pairs  # noqa: E402
from netral_nlp.data.real import ANNOTATIONS, iter_source, sha1  # noqa: E402
from netral_nlp.labels import CATEGORIES  # noqa: E402

WORK = ROOT / "runs" / "annot"
SEED = 2024
# source -> (how many to sample, "test" for held-out sources or "train" for train/dev sources)
PLAN = {
    "pemilu2024_tweets/anies": (900, "train"),
    "pemilu2024_tweets/ganjar": (900, "train"),
    "pemilu2024_tweets/prabowo": (700, "test"),
    "indonlu/smsa": (250, "train"),
    "indonlu/casa": (80, "train"),
    "indonlu/nergrit": (120, "train"),
    "extra/stif_tweets": (120, "train"),
    "indonlu/emot": (250, "test"),
    "indonlu/hoasa": (120, "test"),
    "indonlu/nerp": (120, "test"),
}
DEV_SHARE = 0.25


def _fold(t: str) -> str:
    return " ".join(t.lower().split())


def sample(n_batches: int) -> None:
    rng = random.Random(SEED)
    seen: set[str] = set()
    items = []
    for source, (n, role) in PLAN.items():
        rows = [(i, t) for i, t in enumerate(iter_source(source)) if 20 <= len(t.strip()) <= 700]
        rng.shuffle(rows)
        picked = 0
        for i, t in rows:
            if picked >= n:
                break
            if _fold(t) in seen:
                continue
            seen.add(_fold(t))
            items.append({"id": f"{source}:{i}", "source": source, "row": i, "role": role, "text": t})
            picked += 1
    # Held-out items must not be near-duplicates of anything train/dev will see.
    train = [x for x in items if x["role"] == "train"]
    test = [x for x in items if x["role"] == "test"]
    drop = {j for _, j, _ in near_duplicate_pairs([x["text"] for x in train], [x["text"] for x in test])}
    test = [x for j, x in enumerate(test) if j not in drop]
    items = train + test
    print(f"sampled {len(items)} ({len(drop)} test near-duplicates of train dropped)")
    rng.shuffle(items)
    WORK.mkdir(parents=True, exist_ok=True)
    for k in range(n_batches):
        with open(WORK / f"batch_{k}.jsonl", "w", encoding="utf-8") as f:
            for x in items[k::n_batches]:
                f.write(json.dumps({"id": x["id"], "text": x["text"]}, ensure_ascii=False) + "\n")
    with open(WORK / "sample.jsonl", "w", encoding="utf-8") as f:
        for x in items:
            f.write(json.dumps(x, ensure_ascii=False) + "\n")


def _pick_train_tweets(rng: random.Random, n_per_source: int, seen: set[str], held: list[str],
                       skip: set[tuple[str, int]] = frozenset()) -> tuple[list[dict], int]:
    """Up to ``n_per_source`` unseen tweets (20-700 characters) from each real-train tweet source,
    minus rows in ``skip`` and near-duplicates of ``held``; returns them and how many were dropped."""
    new = []
    for source, (_, role) in PLAN.items():
        if role != "train" or not source.startswith("pemilu2024_tweets/"):
            continue
        rows = [(i, t) for i, t in enumerate(iter_source(source))
                if (source, i) not in skip and 20 <= len(t.strip()) <= 700]
        rng.shuffle(rows)
        picked = 0
        for i, t in rows:
            if picked >= n_per_source:
                break
            if _fold(t) in seen:
                continue
            seen.add(_fold(t))
            new.append({"id": f"{source}:{i}", "source": source, "row": i, "role": "train_extra", "text": t})
            picked += 1
    drop = {i for i, _, _ in near_duplicate_pairs([x["text"] for x in new], held)}
    return [x for i, x in enumerate(new) if i not in drop], len(drop)


def sample_extra(n_per_source: int, n_batches: int, tag: str) -> None:
    """More real-train tweets: ``train_extra`` items always go to train; near-duplicates of any
    dev/test item are dropped, so the frozen dev/test splits stay as they are."""
    rng = random.Random(f"{SEED}-{tag}")
    old = [json.loads(line) for line in (WORK / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    dev = _dev_assignment(old)
    held = [x["text"] for x in old if x["role"] == "test" or x["id"] in dev]
    seen = {_fold(x["text"]) for x in old}
    new, n_drop = _pick_train_tweets(rng, n_per_source, seen, held)
    print(f"{len(new)} extra train items ({n_drop} near-duplicates of dev/test dropped)")
    for k in range(n_batches):
        with open(WORK / f"batch_{tag}{k}.jsonl", "w", encoding="utf-8") as f:
            for x in new[k::n_batches]:
                f.write(json.dumps({"id": x["id"], "text": x["text"]}, ensure_ascii=False) + "\n")
    with open(WORK / "sample.jsonl", "a", encoding="utf-8") as f:
        for x in new:
            f.write(json.dumps(x, ensure_ascii=False) + "\n")


def sample_more(n_per_source: int, n_batches: int, tag: str) -> None:
    """More real-train tweets after the first sample is gone: everything already annotated (and
    its exact duplicates) is skipped, and so is any near-duplicate of a real-dev/real-test text, so
    the frozen splits stay as they are. Items go to ``more_<tag>.jsonl``; answers are read from
    ``more_<tag>_out_*.jsonl`` by ``resolve-more``."""
    from netral_nlp.data.real import load_real, read_annotations

    rng = random.Random(f"{SEED}-more-{tag}")
    anns = read_annotations()
    annotated = {(a["source"], a["row"]) for a in anns}
    held = [e.text for e in load_real("dev") + load_real("test")]
    seen = {_fold(e.text) for e in load_real()}
    new, n_drop = _pick_train_tweets(rng, n_per_source, seen, held, skip=annotated)
    rng.shuffle(new)
    print(f"{len(new)} more train items ({n_drop} near-duplicates of dev/test dropped)")
    _write_more(tag, new, n_batches)


# Texts about an election or its contestants, for the other-election pools (selection only: the
# model never sees this list).
ELECTION_WORDS = (r"\b(pilih|coblos|dukung|capres|cawapres|cagub|cawagub|paslon|pilkada|pilpres|pemilu|kampanye|"
                  r"caleg|timses|relawan|elektabilitas|ahok|jokowi|prabowo|anies|sandi|sandiaga|djarot)\b")
OTHER_SHARE = 0.35  # of the other-election items, held out as real:other (by near-duplicate group)


def _score_pool(texts: list[str], model: str) -> tuple[list[float], list[float], float]:
    """v4's calibrated score, and a TF-IDF baseline's (trained on project + real-train), per text."""
    from netral_nlp import NeutralityClassifier
    from netral_nlp.data import read_jsonl
    from netral_nlp.data.real import load_real
    from netral_nlp.evaluation.baseline import TfidfBaseline

    clf = NeutralityClassifier.from_pretrained(model)
    s_model = [p.score for p in clf.predict(texts, batch_size=64)]
    train = read_jsonl(ROOT / "netral_nlp/data/train.jsonl") + load_real("train")
    base = TfidfBaseline().fit(train, load_real("dev"))
    s_base = [p.score for p in base.predict(texts)]
    return s_model, s_base, clf.threshold


def select_hard(tag: str, n_tweets: int, n_other_news: int, n_batches: int, model: str) -> None:
    """Hard cases for annotation, chosen where the model is wrong or unsure, not by chance.

    - Election tweets of the real-train sources not annotated yet: every text where the shipped
      model and the TF-IDF baseline disagree, then the texts whose score is nearest the model's
      threshold, up to ``n_tweets``; these go to real-train.
    - Texts from *other* elections (the 2017 and 2019 votes): SmSA comments and IndoSum news that
      talk about an election or its contestants (``ELECTION_WORDS``), all comments and
      ``n_other_news`` articles; a share (``OTHER_SHARE``, whole near-duplicate groups) is held out
      as ``real:other``, a test split of elections no training text is about; the rest is real-train.
    Near-duplicates of real-dev/real-test texts are dropped. Model scores are kept in the item
    file (``more_<tag>.jsonl``) so the misses can be counted once the answers are in."""
    import math
    import re

    from netral_nlp.data.real import load_real, read_annotations

    rng = random.Random(f"{SEED}-hard-{tag}")
    annotated = {(a["source"], a["row"]) for a in read_annotations()}
    held = [e.text for e in load_real("dev") + load_real("test")]
    seen = {_fold(e.text) for e in load_real()}
    tweets = []
    for source in ("pemilu2024_tweets/anies", "pemilu2024_tweets/ganjar"):
        for i, t in enumerate(iter_source(source)):
            if (source, i) not in annotated and 20 <= len(t.strip()) <= 700 and _fold(t) not in seen:
                seen.add(_fold(t))
                tweets.append({"id": f"{source}:{i}", "source": source, "row": i, "text": t, "split": "train"})
    pat = re.compile(ELECTION_WORDS, re.I)
    other = []
    for source, lo, hi in (("indonlu/smsa", 20, 700), ("extra/indosum_dev", 200, 2500)):
        rows = [(i, t) for i, t in enumerate(iter_source(source))
                if (source, i) not in annotated and lo <= len(t.strip()) <= hi and pat.search(t)
                and _fold(t) not in seen]
        rng.shuffle(rows)
        if source.startswith("extra/"):
            rows = rows[:n_other_news]
        for i, t in rows:
            seen.add(_fold(t))
            other.append({"id": f"{source}:{i}", "source": source, "row": i, "text": t, "split": "train"})
    pool = tweets + other
    drop = {i for i, _, _ in near_duplicate_pairs([x["text"] for x in pool], held)}
    pool = [x for i, x in enumerate(pool) if i not in drop]
    s_model, s_base, thr = _score_pool([x["text"] for x in pool], model)
    logit = lambda p: math.log(max(p, 1e-6) / max(1 - p, 1e-6))  # noqa: E731
    for x, a, b in zip(pool, s_model, s_base):
        x["model_score"], x["baseline_score"] = round(a, 4), round(b, 4)
        x["disagree"] = (a >= thr) != (b >= 0.5)
        x["margin"] = abs(logit(a) - logit(thr))
    tw = [x for x in pool if x["source"].startswith("pemilu2024")]
    ranked = sorted(tw, key=lambda x: (not x["disagree"], x["margin"] if not x["disagree"] else -abs(
        x["model_score"] - x["baseline_score"])))
    chosen = ranked[:n_tweets]
    oth = [x for x in pool if not x["source"].startswith("pemilu2024")]
    # whole near-duplicate groups of the other-election items go to real:other
    groups = {g: [oth[i] for i in members] for g, members in _near_duplicate_groups([x["text"] for x in oth]).items()}
    keys = sorted(groups, key=lambda g: min(x["id"] for x in groups[g]))
    rng.shuffle(keys)
    n_other = 0
    for g in keys:
        if n_other >= OTHER_SHARE * len(oth):
            break
        for x in groups[g]:
            x["split"] = "other"
        n_other += len(groups[g])
    items = chosen + oth
    for x in items:
        x["role"] = "hard"
        x.pop("margin", None)
    rng.shuffle(items)
    print(f"{len(chosen)} election tweets ({sum(x['disagree'] for x in chosen)} model/baseline disagreements), "
          f"{len(oth)} other-election texts ({n_other} to real:other); {len(drop)} near-duplicates of dev/test dropped")
    _write_more(tag, items, n_batches)


def _write_more(tag: str, items: list[dict], n_batches: int) -> None:
    """The annotators' batches (id and text only) and the item file ``resolve-more`` reads."""
    WORK.mkdir(parents=True, exist_ok=True)
    for k in range(n_batches):
        with open(WORK / f"more_{tag}_batch_{k}.jsonl", "w", encoding="utf-8") as f:
            for x in items[k::n_batches]:
                f.write(json.dumps({"id": x["id"], "text": x["text"]}, ensure_ascii=False) + "\n")
    with open(WORK / f"more_{tag}.jsonl", "w", encoding="utf-8") as f:
        for x in items:
            f.write(json.dumps(x, ensure_ascii=False) + "\n")


def resolve_more(tag: str) -> None:
    """Add the answers to ``sample-more`` items to the committed annotations, as real-train."""
    from netral_nlp.data.real import read_annotations

    items = [json.loads(line) for line in (WORK / f"more_{tag}.jsonl").read_text(encoding="utf-8").splitlines()]
    answers = _read_answers(f"more_{tag}_out_*.jsonl")
    answers.update(_read_answers(f"more_{tag}_adjudicated.jsonl"))  # the lead's decision on disagreements
    rows = read_annotations()
    have = {r["id"] for r in rows}
    added = missing = 0
    for x in items:
        a = answers.get(x["id"])
        if x["id"] in have:
            continue
        if a is None or a.get("label") not in ("partisan", "neutral"):
            missing += 1
            continue
        spans = _offsets(x["text"], a.get("spans") or [], x["id"]) if a["label"] == "partisan" else []
        rows.append({"id": x["id"], "source": x["source"], "row": x["row"], "sha1": sha1(x["text"]),
                     "split": x.get("split", "train"), "label": a["label"], "spans": spans,
                     "unclear": bool(a.get("unclear", False))})
        added += 1
    rows.sort(key=lambda r: (r["source"], r["row"]))
    with open(ANNOTATIONS, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{added} annotations added, {missing} items without a usable answer")


def _read_answers(pattern: str) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in sorted(WORK.glob(pattern)):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            try:
                a = json.loads(line)
            except json.JSONDecodeError:
                print(f"{path.name}:{n + 1}: not JSON, skipped", file=sys.stderr)
                continue
            out[a["id"]] = a
    return out


def _offsets(text: str, quotes: list[dict], where: str) -> list[dict]:
    spans, cursor = [], {}
    for q in quotes:
        quote, cat = (q.get("quote") or "").strip(), q.get("category")
        if cat not in CATEGORIES or not quote:
            print(f"{where}: bad span {q!r}, skipped", file=sys.stderr)
            continue
        start = text.find(quote, cursor.get(quote, 0))
        if start < 0:
            start = text.lower().find(quote.lower())
        if start < 0:
            print(f"{where}: quote not in text: {quote!r}", file=sys.stderr)
            continue
        cursor[quote] = start + len(quote)
        spans.append({"start": start, "end": start + len(quote), "category": cat})
    return sorted(spans, key=lambda s: (s["start"], s["end"]))


def _near_duplicate_groups(texts: list[str]) -> dict[int, list[int]]:
    """Indices of ``texts`` grouped by near-duplicate links (transitively), in index order."""
    parent = list(range(len(texts)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in near_duplicate_pairs(texts):
        parent[find(i)] = find(j)
    groups = collections.defaultdict(list)
    for i in range(len(texts)):
        groups[find(i)].append(i)
    return groups


def _dev_assignment(items: list[dict]) -> set[str]:
    """Ids of train/dev-source items that go to dev: whole near-duplicate groups, seeded."""
    pool = [x for x in items if x["role"] == "train"]
    groups = {g: [pool[i]["id"] for i in members]
              for g, members in _near_duplicate_groups([x["text"] for x in pool]).items()}
    keys = sorted(groups, key=lambda g: min(groups[g]))
    random.Random(SEED + 1).shuffle(keys)
    dev, target = set(), DEV_SHARE * len(pool)
    for g in keys:
        if len(dev) >= target:
            break
        dev.update(groups[g])
    return dev


def resolve() -> None:
    items = [json.loads(line) for line in (WORK / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    answers = _read_answers("out_*.jsonl")
    answers.update(_read_answers("adjudicated.jsonl"))  # the lead's decision on second-pass disagreements
    dev = _dev_assignment(items)
    rows, missing = [], 0
    for x in sorted(items, key=lambda x: (x["source"], x["row"])):
        a = answers.get(x["id"])
        if a is None or a.get("label") not in ("partisan", "neutral"):
            missing += 1
            continue
        spans = _offsets(x["text"], a.get("spans") or [], x["id"]) if a["label"] == "partisan" else []
        split = "test" if x["role"] == "test" else ("dev" if x["id"] in dev else "train")
        rows.append({"id": x["id"], "source": x["source"], "row": x["row"], "sha1": sha1(x["text"]),
                     "split": split, "label": a["label"], "spans": spans,
                     "unclear": bool(a.get("unclear", False))})
    ANNOTATIONS.parent.mkdir(parents=True, exist_ok=True)
    with open(ANNOTATIONS, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    stats = collections.Counter((r["split"], r["source"].split("/")[0], r["label"]) for r in rows)
    for k in sorted(stats):
        print(*k, stats[k])
    print(f"{len(rows)} annotations written, {missing} sampled items without an answer")


def agreement(tag: str | None = None) -> None:
    """Cohen's kappa and raw agreement between the first pass and the blind second pass (of the
    first sample, or of the ``sample-more`` round ``tag``)."""
    from sklearn.metrics import cohen_kappa_score

    if tag:
        first, second = _read_answers(f"more_{tag}_out_*.jsonl"), _read_answers(f"more_{tag}_second_out_*.jsonl")
    else:
        first, second = _read_answers("out_*.jsonl"), _read_answers("second_[0-9].jsonl")
    final = {json.loads(line)["id"]: json.loads(line) for line in ANNOTATIONS.read_text().splitlines()}
    ids = sorted(set(first) & set(second))
    a = [first[i]["label"] for i in ids]
    b = [second[i]["label"] for i in ids]
    disagree = [i for i in ids if first[i]["label"] != second[i]["label"]]
    out = {
        "double_annotated": len(ids),
        "raw_agreement": round(sum(x == y for x, y in zip(a, b)) / max(1, len(ids)), 4),
        "cohen_kappa": round(float(cohen_kappa_score(a, b)), 4) if ids else None,
        "first_pass_partisan": sum(x == "partisan" for x in a),
        "second_pass_partisan": sum(x == "partisan" for x in b),
        "double_annotated_both_sure": sum(not first[i].get("unclear") and not second[i].get("unclear") for i in ids),
        "agreement_both_sure": round(
            sum(first[i]["label"] == second[i]["label"] for i in ids
                if not first[i].get("unclear") and not second[i].get("unclear"))
            / max(1, sum(not first[i].get("unclear") and not second[i].get("unclear") for i in ids)), 4),
        "disagreements": len(disagree),
        "disagreements_marked_unclear_by_one": sum(bool(first[i].get("unclear") or second[i].get("unclear"))
                                                   for i in disagree),
        "disagreements_adjudicated": "by the lead engineer, reading both answers (adjudicated.jsonl)",
        "disagreements_final_label": dict(collections.Counter(final[i]["label"] for i in disagree if i in final)),
    }
    if tag:
        out["disagreements_adjudicated"] = f"by the lead engineer, reading both answers (more_{tag}_adjudicated.jsonl)"
    name = f"agreement_{tag}.json" if tag else "agreement.json"
    (ANNOTATIONS.parent / name).write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--batches", type=int, default=6)
    e = sub.add_parser("sample-extra")
    e.add_argument("--per-source", type=int, default=900)
    e.add_argument("--batches", type=int, default=3)
    e.add_argument("--tag", default="x")
    m = sub.add_parser("sample-more")
    m.add_argument("--per-source", type=int, default=750)
    m.add_argument("--batches", type=int, default=3)
    m.add_argument("--tag", default="m1")
    h = sub.add_parser("select-hard")
    h.add_argument("--tag", default="h1")
    h.add_argument("--tweets", type=int, default=1200)
    h.add_argument("--news", type=int, default=200, help="other-election news articles")
    h.add_argument("--batches", type=int, default=7)
    h.add_argument("--model", default=str(ROOT / "models" / "netral-mini"))
    r = sub.add_parser("resolve-more")
    r.add_argument("--tag", default="m1")
    sub.add_parser("resolve")
    g = sub.add_parser("agreement")
    g.add_argument("--tag", default=None, help="a sample-more round (default: the first sample)")
    args = ap.parse_args()
    if args.cmd == "sample":
        sample(args.batches)
    elif args.cmd == "sample-extra":
        sample_extra(args.per_source, args.batches, args.tag)
    elif args.cmd == "sample-more":
        sample_more(args.per_source, args.batches, args.tag)
    elif args.cmd == "select-hard":
        select_hard(args.tag, args.tweets, args.news, args.batches, args.model)
    elif args.cmd == "resolve-more":
        resolve_more(args.tag)
    elif args.cmd == "resolve":
        resolve()
    else:
        agreement(args.tag)


if __name__ == "__main__":
    main()
