"""export-review / import-review without a server (issue 13): which rows are chosen, how texts are
joined, and how every problem of an export is reported."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from netral_nlp.cli import main
from netral_nlp.review.checks import checked_span, utf16_to_index
from netral_nlp.review.labelstudio import label_config, read_export, tasks_for_review
from netral_nlp.review.select import select_for_review

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["Ayo coblos nomor dua", "Puskesmas buka", "Saya dukung Pak Hendra", "Jalan diperbaiki", "Salam tiga jari",
         "Rapat camat"]


def scored_files(tmp_path: Path, key: str = "id") -> tuple[Path, Path]:
    """A hand-made scored file (as netral score writes it) and the texts it was scored from."""
    labels = ["partisan", "neutral", "partisan", "neutral", "partisan", None]
    scores = [0.7, 0.1, 0.95, 0.2, 0.8, None]
    spans = [[{"start": 4, "end": 10, "text": "coblos", "category": "vote_call", "score": 0.9}], [],
             [{"start": 0, "end": 11, "text": "Saya dukung", "category": "endorsement", "score": 0.8}], [], [], None]
    errors = [None, None, None, None, None, "model error: boom"]
    src = tmp_path / "posts.csv"
    pd.DataFrame({"id": [f"p{i}" for i in range(6)], "text": TEXTS}).to_csv(src, index=False)
    scored = tmp_path / "scored.jsonl"
    keys = [f"p{i}" for i in range(6)] if key == "id" else list(range(6))
    rows = [{key: k, "label": lab, "score": s, "spans": None if sp is None else json.dumps(sp), "error": e}
            for k, lab, s, sp, e in zip(keys, labels, scores, spans, errors)]
    scored.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return scored, src


@pytest.mark.parametrize("key", ["id", "row"])
def test_partisan_most_confident_first_then_a_neutral_sample(tmp_path, key):
    scored, src = scored_files(tmp_path, key)
    key_col, items = select_for_review(scored, src, limit=2)
    assert key_col == key
    assert [it.text for it in items] == [TEXTS[2], TEXTS[4]]  # 0.95, 0.8; 0.7 is past the limit
    _, items = select_for_review(scored, src, sample_neutral=5, seed=1)
    assert [it.text for it in items] == [TEXTS[2], TEXTS[4], TEXTS[0], TEXTS[3], TEXTS[1]]  # error row never
    tasks = tasks_for_review(items, key_col, model_version="tiny")
    t = tasks[0]
    assert t["data"]["text"] == TEXTS[2] and t["data"]["netral_key"] == ("p2" if key == "id" else "2")
    pred = t["predictions"][0]
    assert pred["model_version"] == "tiny" and pred["score"] == 0.95
    assert pred["result"][0]["value"] == {"choices": ["partisan"]}
    assert pred["result"][1]["value"] == {"start": 0, "end": 11, "text": "Saya dukung", "labels": ["endorsement"]}


def test_the_wrong_texts_file_is_refused(tmp_path):
    scored, src = scored_files(tmp_path)
    other = tmp_path / "other.csv"
    pd.DataFrame({"id": [f"p{i}" for i in range(6)], "text": ["x" * 30] * 6}).to_csv(other, index=False)
    with pytest.raises(Exception, match="does not match the text; is this the file that was scored"):
        select_for_review(scored, other)
    pd.DataFrame({"id": ["q1"], "text": ["y"]}).to_csv(other, index=False)
    with pytest.raises(Exception, match="not found"):
        select_for_review(scored, other)


def test_label_config_is_valid_xml_with_the_keys():
    import xml.etree.ElementTree as ET

    root = ET.fromstring(label_config("id"))
    assert [c.get("value") for c in root.iter("Choice")] == ["partisan", "neutral"]
    labels = {lab.get("value"): lab.get("hint") for lab in root.iter("Label")}
    assert len(labels) == 7 and labels["vote_call"].startswith("ajakan memilih")
    assert root.find("Choices").get("name") == "label" and root.find("Labels").get("name") == "spans"
    assert "Periksa" in root.find("Header").get("value") and "Check" in ET.fromstring(label_config("en")).find(
        "Header").get("value")


def _task(tid, text, *annotations, key=None):
    return {"id": tid, "data": {"text": text, "netral_key": key or f"k{tid}"}, "annotations": list(annotations)}


def _ann(aid, label, spans=(), **kw):
    result = [] if label is None else [{"from_name": "label", "to_name": "text", "type": "choices",
                                        "value": {"choices": [label]}}]
    result += [{"from_name": "spans", "to_name": "text", "type": "labels",
                "value": {"start": a, "end": b, "text": t, "labels": [c]}} for a, b, t, c in spans]
    return {"id": aid, "result": result, "was_cancelled": False, **kw}


def test_import_reports_every_problem_and_converts_browser_offsets():
    emoji = "Ayo 😀 coblos nomor 2"
    a = emoji.index("coblos")
    tasks = [
        _task(1, emoji, _ann(1, "partisan", [(a + 1, a + 7, "coblos", "vote_call")])),  # UTF-16 offsets
        _task(2, emoji, _ann(2, "partisan", [(a, a + 7, "xoblos", "vote_call")])),  # text disagrees
        _task(3, "teks netral", _ann(3, "neutral", [(0, 4, "teks", "attack")])),  # neutral with spans
        _task(4, "teks", {"id": 4, "result": [], "was_cancelled": True}),  # skipped
        _task(5, "teks"),  # never annotated
        _task(6, "dukung A", _ann(6, "partisan", [(0, 6, "dukung", "endorsement")]), _ann(7, "neutral")),
        _task(7, "dukung B", _ann(8, "partisan", [(0, 6, "dukung", "endorsement")]),
              _ann(9, "neutral", ground_truth=True)),  # ground truth settles it
        _task(8, "teks", _ann(10, None)),  # no label chosen
        _task(9, "teks", _ann(11, "partisan", [(0, 4, "teks", "bribery")])),  # unknown category
        _task(10, "dukung C", _ann(12, "partisan", [(0, 6, "dukung", "endorsement")])),
    ]
    res = read_export(tasks, sent=[{"data": {"netral_key": "k10"}}, {"data": {"netral_key": "gone"}}])
    assert [e["id"] for e in res.examples] == ["k1", "k7", "k10"]
    e1 = res.examples[0]
    assert e1["spans"] == [{"start": a, "end": a + 6, "category": "vote_call"}] and emoji[a:a + 6] == "coblos"
    assert res.examples[1]["label"] == "neutral" and res.examples[1]["spans"] == []
    kinds = {p.key: p.kind for p in res.problems}
    assert kinds == {"k2": "invalid", "k3": "invalid", "k4": "skipped", "k5": "skipped", "k6": "conflict",
                     "k8": "invalid", "k9": "invalid", "gone": "missing"}
    assert len(res.examples) + len(res.problems) == len(tasks) + 1  # nothing dropped silently
    latest = read_export([tasks[5]], prefer="latest")
    assert latest.examples[0]["label"] == "neutral" and not latest.problems


def test_span_checks():
    assert utf16_to_index("a😀b", 3) == 2 and utf16_to_index("a😀b", 2) is None
    assert checked_span("abc", 0, 2, "attack", None) == {"start": 0, "end": 2, "category": "attack"}
    for args in [(0, 9, "attack", None), (2, 1, "attack", None), ("0", 2, "attack", None)]:
        with pytest.raises(ValueError):
            checked_span("abc", *args)


def test_import_review_command(tmp_path, capsys):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([_task(1, "dukung A", _ann(1, "partisan", [(0, 6, "dukung", "endorsement")])),
                                  _task(2, "teks")]), encoding="utf-8")
    out = tmp_path / "reviewed.jsonl"
    rc = main(["import-review", str(export), "-o", str(out)])
    err = capsys.readouterr().err
    assert rc == 1 and "task 2 (key k2): skipped: not annotated" in err and "1 skipped" in err
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert (rec["id"], rec["label"], rec["spans"]) == ("k1", "partisan", [{"start": 0, "end": 6,
                                                                           "category": "endorsement"}])
    export.write_text("not json")
    assert main(["import-review", str(export), "-o", str(out)]) == 2
    assert "export the project in Label Studio's JSON format" in capsys.readouterr().err


def test_python_dash_m_netral_nlp_is_the_command():
    res = subprocess.run([sys.executable, "-m", "netral_nlp", "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert res.returncode == 0 and "export-review" in res.stdout and "import-review" in res.stdout
