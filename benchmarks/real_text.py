"""Real-text quality: the project's annotated real Indonesian texts (``real:test``, held out by
source, see ``corpus/real/``), for a model beside the previous shipped model and TF-IDF baselines.

Reported on real-test: macro-F1, partisan precision/recall, false-positive rate on neutral texts,
ROC-AUC, expected calibration error, precision on a balanced set and at 1% / 5% prevalence, all
texts and the unambiguous ones (neither annotator marked them unclear), and per source. On
real-dev: the calibration error and a threshold table (recall, false-positive rate, precision at
1% and 5% prevalence) from which a user picks a threshold for the prevalence they expect.

Generalisation, beside it: ``real:other`` (texts about the 2017 and 2019 elections, held out whole,
never trained on) and a leave-one-candidate-out comparison: the election tweets of real-dev (about
the candidates whose tweets are trained on) against those of real-test (about the candidate whose
tweets no training or pretraining text comes from).

Used by ``benchmarks/quality.py`` (``--update-card`` writes it into the model card).
"""
from __future__ import annotations

from collections import defaultdict

from netral_nlp import evaluate
from netral_nlp.data import packaged_corpus
from netral_nlp.data.real import load_real, read_annotations, register_of
from netral_nlp.evaluation.baseline import TfidfBaseline
from netral_nlp.evaluation.metrics import label_metrics, precision_at_prevalence
from netral_nlp.labels import PARTISAN

PREVALENCES = (0.01, 0.05)
THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95)
TARGETS = {"false_positive_rate": ("<=", 0.05), "partisan_recall": (">=", 0.80), "precision_at_0.01": (">=", 0.15)}
LOCO_GAP = 0.03  # leave-one-candidate-out macro-F1 within this of in-distribution


def with_prevalence(m: dict) -> dict:
    r, f = m["partisan_recall"], m.get("false_positive_rate")
    if f is None:
        return m
    m["balanced_precision"] = precision_at_prevalence(r, f, 0.5)
    for p in PREVALENCES:
        m[f"precision_at_{p:g}"] = precision_at_prevalence(r, f, p)
    return m


def baselines() -> dict:
    """TF-IDF + LR on the project corpus only (the old baseline) and on the same annotated data as the model."""
    pdev, rdev = packaged_corpus("dev"), load_real("dev")
    return {
        "TF-IDF (project + real train)": TfidfBaseline().fit(packaged_corpus("train") + load_real("train"), pdev + rdev),
        "TF-IDF (project only)": TfidfBaseline().fit(packaged_corpus("train"), pdev),
    }


def real_report(models: dict) -> dict:
    """Figures for each named classifier (anything with predict/threshold, e.g. a baseline)."""
    test, dev = load_real("test"), load_real("dev")
    unclear = {a["id"] for a in read_annotations() if a.get("unclear")}
    sure = [e for e in test if e.id not in unclear]
    out: dict = {"n_test": len(test), "n_test_partisan": sum(e.label == PARTISAN for e in test),
                 "n_test_unambiguous": len(sure), "models": {}}
    for name, clf in models.items():
        preds = clf.predict([e.text for e in test])
        score = {e.id: p.score for e, p in zip(test, preds)}
        res = {"all": with_prevalence(evaluate(clf, test)),
               "unambiguous": with_prevalence(label_metrics([int(e.label == PARTISAN) for e in sure],
                                                            [score[e.id] for e in sure], clf.threshold))}
        groups = defaultdict(list)
        for e in test:
            groups[e.register].append(e)
        res["by_source"] = {}
        for src, rows in sorted(groups.items()):
            y = [int(e.label == PARTISAN) for e in rows]
            m = label_metrics(y, [score[e.id] for e in rows], clf.threshold)
            res["by_source"][src] = {"register": register_of(src), "n": len(rows), "n_partisan": sum(y),
                                     "false_positive_rate": m["false_positive_rate"],
                                     "partisan_recall": m["partisan_recall"] if sum(y) else None}
        other = load_real("other")
        if other:
            o_scores = [p.score for p in clf.predict([e.text for e in other])]
            y_o = [int(e.label == PARTISAN) for e in other]
            sure_o = [k for k, e in enumerate(other) if e.id not in unclear]
            res["other"] = {"all": with_prevalence(label_metrics(y_o, o_scores, clf.threshold)),
                            "unambiguous": with_prevalence(label_metrics([y_o[k] for k in sure_o],
                                                                         [o_scores[k] for k in sure_o], clf.threshold)),
                            "n": len(other), "n_partisan": sum(y_o)}
        dev_scores = [p.score for p in clf.predict([e.text for e in dev])]
        y_dev = [int(e.label == PARTISAN) for e in dev]
        res["dev"] = with_prevalence(label_metrics(y_dev, dev_scores, clf.threshold))
        res["dev_thresholds"] = {f"{t:g}": with_prevalence(label_metrics(y_dev, dev_scores, t)) for t in THRESHOLDS}
        res["loco"] = loco(dev, dev_scores, test, [score[e.id] for e in test], clf.threshold)
        out["models"][name] = res
    return out


def loco(dev, dev_scores, test, test_scores, threshold) -> dict:
    """Leave-one-candidate-out: macro-F1 on election tweets about the trained-on candidates
    (real-dev) and on those about the held-out candidate (real-test)."""
    def part(rows, scores):
        keep = [(e, s) for e, s in zip(rows, scores) if e.register.startswith("pemilu2024_tweets/")]
        y = [int(e.label == PARTISAN) for e, _ in keep]
        m = label_metrics(y, [s for _, s in keep], threshold)
        return {"sources": sorted({e.register for e, _ in keep}), "n": len(keep), "n_partisan": sum(y),
                **{k: m[k] for k in ("macro_f1", "partisan_recall", "false_positive_rate", "roc_auc")}}

    ind, out = part(dev, dev_scores), part(test, test_scores)
    return {"in_distribution": ind, "held_out_candidate": out,
            "gap_macro_f1": round(ind["macro_f1"] - out["macro_f1"], 4)}


def _f(v, digits=3) -> str:
    return "n/a" if v is None else f"{v:.{digits}f}"


def markdown(report: dict, main: str) -> str:
    """The real-text section of the model card."""
    names = list(report["models"])
    rows = [("macro_f1", "label macro-F1"), ("partisan_precision", "partisan precision (test mix)"),
            ("partisan_recall", "partisan recall"), ("false_positive_rate", "false-positive rate on neutral texts"),
            ("balanced_precision", "partisan precision, balanced set"), ("precision_at_0.05", "precision at 5% prevalence"),
            ("precision_at_0.01", "precision at 1% prevalence"), ("roc_auc", "ROC-AUC"),
            ("ece", "expected calibration error"), ("span_char_f1_partisan", "span character-F1 (partisan texts)")]
    lines = ["| real-test, all texts | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    for key, title in rows:
        lines.append(f"| {title} | " + " | ".join(_f(report["models"][n]["all"].get(key)) for n in names) + " |")
    lines += ["", "| real-test, unambiguous texts | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    for key, title in rows[:-1]:
        lines.append(f"| {title} | " + " | ".join(_f(report["models"][n]["unambiguous"].get(key)) for n in names) + " |")
    m = report["models"][main]
    lines += ["", f"By source ({main}):", "", "| source | register | texts | partisan | recall | false-positive rate |",
              "| --- | --- | --- | --- | --- | --- |"]
    for src, g in m["by_source"].items():
        lines.append(f"| {src} | {g['register']} | {g['n']} | {g['n_partisan']} | {_f(g['partisan_recall'])} | "
                     f"{_f(g['false_positive_rate'])} |")
    if all("other" in report["models"][n] for n in names):
        o = report["models"][names[0]]["other"]
        lines += ["", f"Other elections (real:other: {o['n']} texts about the 2017 and 2019 votes, {o['n_partisan']} "
                  "partisan; never trained on):", "", "| real:other | " + " | ".join(names) + " |",
                  "| --- |" + " --- |" * len(names)]
        for part, key, title in (("all", "macro_f1", "macro-F1, all"), ("all", "partisan_recall", "partisan recall, all"),
                                 ("all", "false_positive_rate", "false-positive rate, all"),
                                 ("all", "roc_auc", "ROC-AUC, all"),
                                 ("unambiguous", "macro_f1", "macro-F1, unambiguous"),
                                 ("unambiguous", "partisan_recall", "partisan recall, unambiguous"),
                                 ("unambiguous", "false_positive_rate", "false-positive rate, unambiguous")):
            lines.append(f"| {title} | " + " | ".join(_f(report["models"][n]["other"][part].get(key)) for n in names)
                         + " |")
    lines += ["", "Leave-one-candidate-out (election tweets; in-distribution: real-dev, about the candidates whose "
              "tweets are trained on; held out: real-test, about the candidate none of whose tweets is trained or "
              "pretrained on):", "", "| model | in-distribution macro-F1 | held-out candidate macro-F1 | gap |",
              "| --- | --- | --- | --- |"]
    for n in names:
        lo = report["models"][n]["loco"]
        lines.append(f"| {n} | {_f(lo['in_distribution']['macro_f1'])} | {_f(lo['held_out_candidate']['macro_f1'])} "
                     f"| {_f(lo['gap_macro_f1'])} |")
    lines += ["", f"Choosing a threshold ({main}, on real-dev; recall and the false-positive rate do not "
              "depend on how rare partisan posts are, precision does):", "",
              "| threshold | recall | false-positive rate | precision at 5% prevalence | precision at 1% prevalence |",
              "| --- | --- | --- | --- | --- |"]
    for t, d in m["dev_thresholds"].items():
        lines.append(f"| {t} | {_f(d['partisan_recall'])} | {_f(d['false_positive_rate'])} | "
                     f"{_f(d['precision_at_0.05'])} | {_f(d['precision_at_0.01'])} |")
    return "\n".join(lines)


def targets(report: dict, main: str) -> list[str]:
    """One line per real-text target: met or missed, with the figure."""
    m = report["models"][main]
    out = []
    for key, (op, goal) in TARGETS.items():
        v = m["all"][key]
        ok = v is not None and (v <= goal if op == "<=" else v >= goal)
        out.append(f"{key} {op} {goal}: {_f(v)} ({'met' if ok else 'MISSED'})")
    gap = m["loco"]["gap_macro_f1"]
    out.append(f"leave-one-candidate-out macro-F1 within {LOCO_GAP} of in-distribution: gap {_f(gap)} "
               f"({'met' if gap <= LOCO_GAP else 'MISSED'})")
    ece = m["dev"]["ece"]
    out.append(f"ECE on real-dev <= 0.05: {_f(ece)} ({'met' if ece is not None and ece <= 0.05 else 'MISSED'})")
    ece_t = m["all"].get("ece")
    out.append(f"ECE on real-test <= 0.05: {_f(ece_t)} ({'met' if ece_t is not None and ece_t <= 0.05 else 'MISSED'})")
    best_base = max(v["all"]["macro_f1"] for k, v in report["models"].items() if k.startswith("TF-IDF"))
    out.append(f"macro-F1 above the best TF-IDF baseline ({best_base:.3f}): {m['all']['macro_f1']:.3f} "
               f"({'met' if m['all']['macro_f1'] > best_base else 'MISSED'})")
    return out
