"""Bahasa Indonesia (issue 13): the report, the notebook display and the command speak Indonesian by
default and English with --lang en / NETRAL_LANG=en; output files keep the English keys. The
README's first command scores the shipped example workbook exactly as written."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from netral_nlp import i18n
from netral_nlp.predictions import Prediction, Span
from netral_nlp.render.report import report_html

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def default_language(monkeypatch):
    monkeypatch.delenv("NETRAL_LANG", raising=False)  # conftest runs the older tests in English
    monkeypatch.setattr(i18n, "_chosen", None)


def scored_frame():
    text = "Ayo coblos nomor dua, salam dua jari"
    rows = [{"id": "a", "label": "partisan", "score": 0.91, "error": None,
             "spans": json.dumps([{"start": 4, "end": 20, "text": "coblos nomor dua", "category": "vote_call",
                                   "score": 0.9}])},
            {"id": "b", "label": "neutral", "score": 0.1, "spans": "[]", "error": None},
            {"id": "c", "label": None, "score": float("nan"), "spans": None, "error": "missing text"}]
    return pd.DataFrame(rows), [text, "Puskesmas buka", None]


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def visible_text(page: Path) -> str:
    """``document.body.innerText`` of ``page`` in headless Chromium (the text as rendered: hidden
    elements and markup excluded), over the DevTools protocol on a pipe."""
    r_in, w_in = os.pipe()  # we write, chromium reads (its fd 3)
    r_out, w_out = os.pipe()  # chromium writes (its fd 4), we read

    def as_fd_3_and_4():  # in the child, before the fds outside pass_fds are closed
        a, b = os.dup(r_in), os.dup(w_out)  # out of the way of 3 and 4 first
        os.dup2(a, 3)
        os.dup2(b, 4)
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:  # Chromium may still be writing its profile
        proc = subprocess.Popen(
            [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
             "--remote-debugging-pipe", "about:blank"],
            pass_fds=(3, 4), preexec_fn=as_fd_3_and_4,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r_in)
        os.close(w_out)
        out = os.fdopen(r_out, "rb")
        buf = b""
        counter = iter(range(1, 10_000))

        def call(method, params=None, session=None):
            nonlocal buf
            mid = next(counter)
            msg = {"id": mid, "method": method, "params": params or {}}
            if session:
                msg["sessionId"] = session
            os.write(w_in, json.dumps(msg).encode() + b"\0")
            while True:
                while b"\0" not in buf:
                    chunk = out.read1(65536)
                    if not chunk:
                        raise RuntimeError("chromium closed the pipe")
                    buf += chunk
                raw, buf = buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == mid:
                    if "error" in reply:
                        raise RuntimeError(reply["error"])
                    return reply["result"]

        try:
            target = call("Target.createTarget", {"url": page.as_uri()})["targetId"]
            session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            loaded = "location.protocol === 'file:' && document.readyState === 'complete' && !!document.body"
            for _ in range(300):  # the new tab starts at about:blank
                if call("Runtime.evaluate", {"expression": loaded, "returnByValue": True}, session)["result"].get(
                        "value"):
                    break
                time.sleep(0.1)
            res = call("Runtime.evaluate", {"expression": "document.body.innerText", "returnByValue": True},
                       session)
            return res["result"]["value"]
        finally:
            os.close(w_in)
            proc.kill()
            proc.wait(timeout=30)
            out.close()


@pytest.mark.skipif(_chromium() is None, reason="chromium is not installed (apt-get install chromium)")
def test_indonesian_report_renders_in_chromium(tmp_path, default_language):
    df, texts = scored_frame()
    page = tmp_path / "laporan.html"
    page.write_text(report_html(df, texts, meta={"input": "posts.xlsx", "threshold": 0.5}), encoding="utf-8")
    shown = visible_text(page)
    for needle in ["Laporan penilaian netral-nlp", "Proporsi teks partisan", "1 dari 2 teks yang dinilai partisan "
                   "(50,0%)", "Kategori span", "ajakan memilih", "penyalahgunaan jabatan", "Sebaran skor",
                   "Baris bergalat", "Teks paling partisan (teratas 1)", "masukan: posts.xlsx", "ambang: 0,500",
                   "coblos nomor dua", "periksa setiap kasus"]:
        assert needle in shown, needle
    for english in ["Share of partisan texts", "Most partisan texts", "Rows with errors", "vote_call", "scored texts"]:
        assert english not in shown, english
    # the keys stay in the markup for programs; the English page is one option away
    html = page.read_text(encoding="utf-8")
    assert 'data-category="vote_call"' in html and '<html lang="id">' in html
    english = report_html(df, texts, lang="en")
    assert "Share of partisan texts" in english and "Proporsi" not in english


def test_notebook_display_language(default_language):
    p = Prediction(text="Ayo coblos", label="neutral", score=0.2, spans=[Span(4, 10, "coblos", "vote_call", 0.5)])
    html = p._repr_html_()
    assert ">netral</span>" in html and "ajakan memilih" in html and 'data-label="neutral"' in html
    i18n.set_language("en")
    assert ">neutral</span>" in p._repr_html_() and "ajakan memilih" not in p._repr_html_()
    with i18n.language("id"):
        assert ">netral</span>" in p._repr_html_()
    assert ">neutral</span>" in p._repr_html_()
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")


def _readme_score_command() -> str:
    """The scoring part of the README's first set-up command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set up", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    first = setup.strip().splitlines()[0]
    parts = [p.strip() for p in first.split("&&")]
    scoring = [p for p in parts if p.startswith("netral score")]
    assert len(scoring) == 1, first
    return scoring[0]


def test_readme_first_command_scores_the_example_workbook(tmp_path, default_language):
    cmd = _readme_score_command()
    assert cmd == "netral score examples/posts.xlsx -o scored.xlsx --report report.html"
    (tmp_path / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "posts.xlsx", tmp_path / "examples" / "posts.xlsx")
    argv = shlex.split(cmd)
    exe = Path(sys.executable).with_name("netral")
    argv = ([str(exe)] if exe.exists() else [sys.executable, "-m", "netral_nlp"]) + argv[1:]
    res = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                         env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert res.returncode == 0, res.stderr[-2000:]
    summary = res.stderr.strip().splitlines()[-1]
    assert re.match(r"netral: 36 baris dalam \d", summary) and "laporan report.html" in summary  # Indonesian
    wb = openpyxl.load_workbook(tmp_path / "scored.xlsx", read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    assert rows[0] == ("id", "label", "score", "spans", "error") and len(rows) == 37
    src = pd.read_csv(ROOT / "examples" / "posts.csv", dtype=str)
    assert [r[0] for r in rows[1:]] == src["id"].tolist()
    assert {r[1] for r in rows[1:]} == {"partisan", "neutral"}  # English keys in the data
    for (_, _, _, spans, _), text in zip(rows[1:], src["text"]):
        for s in json.loads(spans):
            assert text[s["start"]:s["end"]] == s["text"]
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Laporan penilaian netral-nlp" in report and "posts.xlsx" in report


def test_example_workbook_is_built_from_the_csv(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_example_xlsx
    finally:
        sys.path.pop(0)
    built = make_example_xlsx.build(dst=tmp_path / "posts.xlsx")
    assert built.read_bytes() == (ROOT / "examples" / "posts.xlsx").read_bytes()
