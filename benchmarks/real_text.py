"""Real-text quality: the project's annotated real Indonesian texts (``real:test``, held out by
source, see ``corpus/real/``), for a model beside the previous shipped model and TF-IDF baselines.

Reported on real-test: macro-F1, partisan precision/recall, false-positive rate on neutral texts,
ROC-AUC, expected calibration error, precision on a balanced set and at 1% / 5% prevalence, all
texts and the unambiguous ones (neither annotator marked them unclear), and per source. On
real-dev: the calibration error and a threshold table (recall, false-positive rate, precision at
1% and 5% prevalence) from which a user picks a threshold for the prevalence they expect.

Used by ``benchmarks/quality.py`` (``--update-card`` writes it into the model card).
"""
from __future__ import annotations

from collections import defaultdict

from netral_nlp import evaluate
from netral_nlp.data import packaged_corpus
from netral_nlp.evaluation.baseline import TfidfBaseline
from netral_nlp.evaluation.metrics import label_metrics, precision_at_prevalence
from netral_nlp.labels import PARTISAN
from netral_nlp.realdata import load_real, read_annotations, register_of

PREVALENCES = (0.01, 0.05)
THRESHOLDS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95)
TARGETS = {"false_positive_rate": ("<=", 0.03), "partisan_recall": (">=", 0.80), "balanced_precision": (">=", 0.90)}


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
        dev_scores = [p.score for p in clf.predict([e.text for e in dev])]
        y_dev = [int(e.label == PARTISAN) for e in dev]
        res["dev"] = with_prevalence(label_metrics(y_dev, dev_scores, clf.threshold))
        res["dev_thresholds"] = {f"{t:g}": with_prevalence(label_metrics(y_dev, dev_scores, t)) for t in THRESHOLDS}
        out["models"][name] = res
    return out


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
    lines += ["", f"Choosing a threshold ({main}, on real-dev; recall and the false-positive rate do not "
              "depend on how rare partisan posts are, precision does):", "",
              "| threshold | recall | false-positive rate | precision at 5% prevalence | precision at 1% prevalence |",
              "| --- | --- | --- | --- | --- |"]
    for t, d in m["dev_thresholds"].items():
        lines.append(f"| {t} | {_f(d['partisan_recall'])} | {_f(d['false_positive_rate'])} | "
                     f"{_f(d['precision_at_0.05'])} | {_f(d['precision_at_0.01'])} |")
    return "\n".join(lines)


def targets(report: dict, main: str) -> list[str]:
    """One line per real-text target of issue 9: met or missed, with the figure."""
    m = report["models"][main]
    out = []
    for key, (op, goal) in TARGETS.items():
        v = m["all"][key]
        ok = v is not None and (v <= goal if op == "<=" else v >= goal)
        out.append(f"{key} {op} {goal}: {_f(v)} ({'met' if ok else 'MISSED'})")
    ece = m["dev"]["ece"]
    out.append(f"ECE on real-dev <= 0.05: {_f(ece)} ({'met' if ece is not None and ece <= 0.05 else 'MISSED'})")
    best_base = max(v["all"]["macro_f1"] for k, v in report["models"].items() if k.startswith("TF-IDF"))
    out.append(f"macro-F1 above the best TF-IDF baseline ({best_base:.3f}): {m['all']['macro_f1']:.3f} "
               f"({'met' if m['all']['macro_f1'] > best_base else 'MISSED'})")
    return out
