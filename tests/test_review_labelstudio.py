"""The review round trip through a REAL Label Studio server (issue 13): netral export-review ->
Label Studio (project from the generated config, tasks imported, annotations submitted through
its API, JSON export) -> netral import-review -> training JSONL.

Label Studio lives in its own virtual environment (its Django stack is kept out of ours):
``tools/labelstudio_env.sh`` creates ``.venv-labelstudio`` (``.ci/run`` does), or point
``$NETRAL_LABEL_STUDIO_VENV`` at one. Without it the test is skipped, unless
``$NETRAL_REQUIRE_LABEL_STUDIO=1`` (CI), where it fails. The server listens on 127.0.0.1 only,
keeps its data in a temporary directory and is stopped at the end.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from netral_nlp.cli import main
from netral_nlp.data import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("NETRAL_LABEL_STUDIO_VENV") or ROOT / ".venv-labelstudio")
REQUIRED = os.environ.get("NETRAL_REQUIRE_LABEL_STUDIO") == "1"
START_TIMEOUT = int(os.environ.get("NETRAL_LABEL_STUDIO_START_TIMEOUT", "240"))
TOKEN = "netral0test0token0000000000000000000000a"


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"Label Studio is required here (NETRAL_REQUIRE_LABEL_STUDIO=1) but {reason}")
    pytest.skip(f"{reason}; run tools/labelstudio_env.sh to install it")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory):
    exe, python = VENV / "bin" / "label-studio", VENV / "bin" / "python"
    if not exe.exists() or not python.exists():
        _unavailable(f"no Label Studio environment at {VENV}")
    data = tmp_path_factory.mktemp("label-studio-data")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "DJANGO_"))}
    env.update(LABEL_STUDIO_BASE_DATA_DIR=str(data), LABEL_STUDIO_USERNAME="reviewer@example.com",
               LABEL_STUDIO_PASSWORD="netral-review-test", LABEL_STUDIO_USER_TOKEN=TOKEN,
               LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true", SENTRY_DSN="", FRONTEND_SENTRY_DSN="",
               COLLECT_ANALYTICS="false", PYTHONUNBUFFERED="1")
    log = open(data / "server.log", "w")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen([str(exe), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
                             "--host", url, "--enable-legacy-api-token"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + START_TIMEOUT
    ready = False
    while time.time() < deadline and proc.poll() is None:
        try:
            req = urllib.request.Request(f"{url}/api/projects", headers={"Authorization": f"Token {TOKEN}"})
            with urllib.request.urlopen(req, timeout=5) as r:
                ready = r.status == 200
        except OSError:
            pass
        if ready:
            break
        time.sleep(2)
    try:
        if not ready:
            tail = (data / "server.log").read_text(errors="replace")[-2000:]
            _unavailable(f"the server did not answer within {START_TIMEOUT} s (exit code {proc.poll()}): {tail}")
        yield {"url": url, "python": str(python)}
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        log.close()


def test_round_trip_through_label_studio(tmp_path, tiny_model_dir, label_studio, capsys):
    texts = ["Ayo 🗳️ coblos nomor dua, Pak Hendra pasti menang! #LanjutTerus02",
             "Saya dukung Bu Maria jadi wali kota, share ya dari tim pemenangan",
             "Jalan menuju pasar sudah diperbaiki oleh dinas PU",
             "Puskesmas membuka layanan malam mulai pekan depan",
             "Salam tiga jari 👌 untuk perubahan, jangan pilih calon 01",
             "Rapat koordinasi logistik pemilu di kantor camat"]
    src = tmp_path / "posts.csv"
    pd.DataFrame({"id": [f"p{i}" for i in range(len(texts))], "text": texts}).to_csv(src, index=False)
    scored = tmp_path / "scored.csv"
    # the threshold 0.5 with a tiny model: take whatever it says, the review corrects it
    assert main(["score", str(src), "-o", str(scored), "--model", str(tiny_model_dir), "--quiet",
                 "--lang", "en"]) == 0
    out = pd.read_csv(scored, dtype=str)
    n_partisan = int((out["label"] == "partisan").sum())
    tasks, config = tmp_path / "tasks.json", tmp_path / "config.xml"
    assert main(["export-review", str(scored), "--texts", str(src), "-o", str(tasks), "--config-out", str(config),
                 "--sample-neutral", str(len(texts))]) == 0
    exported = json.loads(tasks.read_text(encoding="utf-8"))
    assert len(exported) == len(texts)  # every partisan row, then every neutral one (sampled)
    assert [t["data"]["netral_label"] for t in exported[:n_partisan]] == ["partisan"] * n_partisan

    # the reviewer: p0 gets a corrected span after an emoji (offsets in code points), p1 two reviewers who
    # agree, p2 is relabelled partisan, p3 is skipped, p4 two reviewers who disagree, p5 is left alone
    t0, t1, t4 = texts[0], texts[1], texts[4]
    s0 = t0.index("coblos nomor dua")
    reviews = {
        "p0": {"label": "partisan", "spans": [{"start": s0, "end": s0 + 16, "category": "vote_call"},
                                              {"start": t0.index("#"), "end": len(t0), "category": "campaign_symbol"}]},
        "p1": {"two": [{"label": "partisan", "spans": [{"start": 0, "end": 20, "category": "endorsement"}]}] * 2},
        "p2": {"label": "partisan", "spans": [{"start": 0, "end": 4, "category": "abuse_of_office"}]},
        "p3": {"skip": True},
        "p4": {"two": [{"label": "partisan", "spans": [{"start": 0, "end": 15, "category": "campaign_symbol"}]},
                       {"label": "neutral", "spans": []}]},
    }
    export = tmp_path / "export.json"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"config": str(config), "tasks": str(tasks), "export": str(export),
                                "reviews": reviews}), encoding="utf-8")
    res = subprocess.run([label_studio["python"], str(Path(__file__).parent / "labelstudio_driver.py"),
                          label_studio["url"], TOKEN, str(plan)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]

    reviewed, problems = tmp_path / "reviewed.jsonl", tmp_path / "problems.jsonl"
    capsys.readouterr()
    rc = main(["import-review", str(export), "-o", str(reviewed), "--problems", str(problems),
               "--tasks", str(tasks)])
    err = capsys.readouterr().err
    assert rc == 1, err  # some tasks were not imported, and that is said
    examples = {e.id: e for e in read_jsonl(reviewed)}  # the training format's own validation
    assert sorted(examples) == ["p0", "p1", "p2"]
    e0 = examples["p0"]
    assert e0.text == t0 and e0.label == "partisan"
    assert [(s.start, s.end, s.category) for s in e0.spans] == [(s0, s0 + 16, "vote_call"),
                                                               (t0.index("#"), len(t0), "campaign_symbol")]
    assert e0.text[e0.spans[0].start:e0.spans[0].end] == "coblos nomor dua"
    assert [(s.start, s.end, s.category) for s in examples["p1"].spans] == [(0, 20, "endorsement")]
    assert examples["p1"].text[:20] == t1[:20]
    assert examples["p2"].label == "partisan"
    listed = {json.loads(line)["key"]: json.loads(line)["kind"] for line in problems.read_text().splitlines()}
    assert listed["p3"] == "skipped" and listed["p4"] == "conflict" and listed["p5"] in ("missing", "skipped")
    assert len(listed) == 3
    for key in ("p3", "p4", "p5"):
        assert f"(key {key})" in err
    assert "3 reviewed example(s)" in err and t4  # the summary counts what was not imported
    # the training records carry the review and the model's view
    rec = json.loads(reviewed.read_text(encoding="utf-8").splitlines()[0])
    assert rec["review"]["tool"] == "label-studio" and rec["review"]["model_label"] in ("partisan", "neutral")
    assert sys.executable  # the project's Python never imported label_studio
    assert "label_studio" not in sys.modules and "label_studio_sdk" not in sys.modules
