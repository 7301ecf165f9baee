"""The HTML report of ``netral score --report`` (issue 4)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from synthetic import make_examples

from netral_nlp import score_frame
from netral_nlp.cli import main
from netral_nlp.render.report import ReportBuilder, report_html


def scored_frame(n=40):
    """A hand-made scored chunk (the output of score_chunk) and its texts."""
    texts, rows = [], []
    for i in range(n):
        text = f"teks nomor {i} ayo coblos nomor dua"
        partisan = i % 3 == 0
        score = round(0.5 + i / (2 * n), 6) if partisan else round(i / (4 * n), 6)
        spans = [{"start": 12 + len(str(i)), "end": 12 + len(str(i)) + 20, "text": "ayo coblos nomor dua",
                  "category": "vote_call" if i % 2 else "campaign_symbol", "score": 0.9}] if partisan else []
        texts.append(text)
        rows.append({"id": f"r{i}", "label": "partisan" if partisan else "neutral", "score": score,
                     "spans": json.dumps(spans), "error": None})
    texts += ["", None]
    rows += [{"id": "e1", "label": "neutral", "score": 0.0, "spans": "[]", "error": "empty text"},
             {"id": "e2", "label": None, "score": float("nan"), "spans": None, "error": "missing text"}]
    return pd.DataFrame(rows), texts


def test_builder_aggregates_and_top_n():
    df, texts = scored_frame(40)
    b = ReportBuilder(top_n=5, bins=10)
    b.add(df.iloc[:20], texts[:20])  # incrementally, chunk by chunk
    b.add(df.iloc[20:], texts[20:])
    assert (b.rows, b.errors, b.scored) == (42, 2, 40)
    assert b.partisan == 14 and sum(b.hist) == 40
    assert b.error_kinds == {"empty text": 1, "missing text": 1}
    assert b.span_counts == {"campaign_symbol": 7, "vote_call": 7}
    top = b.top()
    partisan_scores = sorted((r.score for r in df.itertuples() if r.label == "partisan"), reverse=True)
    assert [t["score"] for t in top] == partisan_scores[:5]
    assert top[0]["key"] == "r39" and top[0]["row"] == 39
    assert texts[39][top[0]["spans"][0]["start"]:top[0]["spans"][0]["end"]] == "ayo coblos nomor dua"
    # the state is JSON and survives a round trip (this is what --resume relies on)
    again = ReportBuilder.from_state(json.loads(json.dumps(b.to_state())))
    assert again.to_state() == b.to_state() and again.top() == top


def test_top_n_keeps_earliest_on_ties_and_excerpts_long_texts():
    long_text = "kalimat biasa. " * 400 + "saya dukung pak hendra" + " penutup." * 200
    start = long_text.index("saya dukung")
    spans = json.dumps([{"start": start, "end": start + 22, "text": "saya dukung pak hendra",
                         "category": "endorsement", "score": 0.8}])
    df = pd.DataFrame({"id": ["a", "b", "c"], "label": ["partisan"] * 3, "score": [0.9, 0.9, 0.9],
                       "spans": [spans, "[]", "[]"], "error": [None] * 3})
    b = ReportBuilder(top_n=2)
    b.add(df, [long_text, "x", "y"])
    top = b.top()
    assert [t["key"] for t in top] == ["a", "b"]
    ex = top[0]
    assert len(ex["text"]) <= 1200 and ex["cut_before"] and ex["cut_after"]
    s = ex["spans"][0]
    assert ex["text"][s["start"]:s["end"]] == "saya dukung pak hendra"
    html = b.html({"threshold": 0.5})
    assert "… " in html and '<mark class="netral-span" data-category="endorsement"' in html


def test_html_has_the_expected_parts_and_is_self_contained():
    df, texts = scored_frame(30)
    texts[0] = '<script>alert("x")</script> ayo coblos nomor dua'  # user text is escaped
    html = report_html(df, texts, meta={"input": "posts.csv", "model": "tiny", "threshold": 0.5})
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    for needle in ['<svg class="chart share"', '<svg class="chart categories"', '<svg class="chart histogram"',
                   'class="threshold"', "Most partisan texts", '<mark class="netral-span"', "Rows with errors",
                   "empty text", "posts.csv", 'class="card partisan"', "10 of 30 scored texts are partisan"]:
        assert needle in html, needle
    assert html.count('class="hist-bar"') == 20 and html.count('class="cat-bar"') == 7
    assert html.count('class="top-text"') == 10
    assert "<script" not in html and "&lt;script&gt;" in html
    lowered = html.lower()
    for ref in ("http://", "https://", "src=", "href=", "url(", "@import", "<link", "<img"):
        assert ref not in lowered, ref


def test_report_from_the_command(tmp_path, tiny_model_dir, capsys):
    rows = [{"id": e["id"], "text": e["text"]} for e in make_examples(50, 4)] + [{"id": "z", "text": " "}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = tmp_path / "report.html"
    rc = main(["score", str(src), "-o", str(tmp_path / "out.csv"), "--model", str(tiny_model_dir), "--quiet",
               "--report", str(report), "--report-top", "7", "--chunk-size", "20"])
    assert rc == 1
    assert f"report {report}" in capsys.readouterr().err
    html = report.read_text(encoding="utf-8")
    out = pd.read_csv(tmp_path / "out.csv", dtype=str)
    partisan = int((out["label"] == "partisan").sum())
    assert f"{partisan:,} of 50 scored texts are partisan" in html
    assert html.count('class="top-text"') == min(7, partisan)
    assert "in.jsonl" in html and "empty text" in html


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed")
def test_report_renders_in_headless_chromium(tmp_path, tiny_clf):
    Image = pytest.importorskip("PIL.Image")
    df = pd.DataFrame([{"id": e["id"], "text": e["text"]} for e in make_examples(60, 2)])
    scored = score_frame(df, id_column="id", classifier=tiny_clf)
    page = tmp_path / "report.html"
    page.write_text(report_html(scored, df["text"].tolist(), meta={"threshold": tiny_clf.threshold}),
                    encoding="utf-8")
    shot = tmp_path / "report.png"
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:  # Chromium may still be writing its profile
        subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
                        "--window-size=1200,1600", page.as_uri()],
                       capture_output=True, timeout=120, check=False)
    assert shot.exists(), "chromium wrote no screenshot"
    img = Image.open(shot).convert("RGB")
    assert img.size == (1200, 1600)
    colors = img.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50  # not a blank page
    counts = dict((rgb, n) for n, rgb in colors)
    assert counts.get((0xdc, 0x26, 0x26), 0) > 500  # the red partisan bar is drawn
    assert counts.get((0x16, 0xa3, 0x4a), 0) > 500  # the green neutral bar is drawn


def test_no_stray_files(tmp_path, tiny_model_dir, capsys):
    src = tmp_path / "in.csv"
    pd.DataFrame({"text": ["Ayo coblos nomor dua!", "Puskesmas buka"]}).to_csv(src, index=False)
    main(["score", str(src), "-o", str(tmp_path / "o.parquet"), "--model", str(tiny_model_dir), "--quiet",
          "--report", str(tmp_path / "r.html")])
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == ["in.csv", "o.parquet", "r.html"]
    assert re.search(r"2 rows in \d", capsys.readouterr().err)
