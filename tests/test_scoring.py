"""Batch scoring: ``netral score`` and ``score_frame`` (issue 4)."""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from synthetic import make_examples

from netral_nlp import score_frame
from netral_nlp.batch.options import RESULT_COLUMNS
from netral_nlp.batch.resume import partial_paths
from netral_nlp.batch.rows import score_chunk
from netral_nlp.batch.run import score_file
from netral_nlp.cli import main

REPO = Path(__file__).resolve().parents[1]

# A CSV with one of each problem. Records (not lines): the quoted field spans two lines and the
# blank line is not a row. It is UTF-8 (the "é" of a1's extra field), and a5 is neither UTF-8 nor
# cp1252 (0x81 and 0x8d are undefined there), so it stays undecodable (issue 20).
BROKEN_CSV = (
    b"id,text,extra\n"
    b"a1,Ayo coblos nomor dua! Pagi ini pelayanan lancar,x\xc3\xa9\n"
    b"a2,,x\n"
    b'a3,"Guru-guru SD mengikuti pelatihan, kurikulum baru",x\n'
    b"a4,too,many,fields\n"
    b"a5,bad \x81\x8d bytes here,x\n"
    b"\n"
    b"a6,short\n"
    b'a7,"multi\nline: saya dukung pak hendra jadi presiden",y\n'
    b"a8,   ,x\n"
    b"a9," + b"panjang " * 40 + b",x\n"
    b"a10,Jalan menuju pasar sudah diperbaiki oleh dinas PU,x\n"
)
CSV_EXPECTED = {  # id -> expected error kind (None: scored)
    "a1": None, "a2": "empty text", "a3": None, "a4": "malformed CSV row", "a5": "undecodable bytes",
    "a6": "malformed CSV row", "a7": None, "a8": "empty text", "a9": "text too long", "a10": None,
}

BROKEN_JSONL = (
    b'{"id": 1, "text": "Ayo coblos nomor dua!", "extra": "\xc3\xa9"}\n'
    b'{"id": 2, "text": 42}\n'
    b'{"id": 3, "text": ["a", "b"]}\n'
    b"this is not json\n"
    b"\n"
    b'{"id": 5}\n'
    b'{"id": 6, "text": null}\n'
    b"[1, 2]\n"
    b'{"id": 8, "text": "bad \x81 byte"}\n'
    b'{"id": "nine", "text": "Jalan menuju pasar sudah diperbaiki"}\n'
    b'{"id": 10, "text": ""}\n'
)
JSONL_EXPECTED = [  # (id, error kind)
    (1, None), (2, "not a string"), (3, "not a string"), (None, "malformed JSON"), (5, "missing text"),
    (6, "missing text"), (None, "malformed JSON"), (8, "undecodable bytes"), ("nine", None), (10, "empty text"),
]


def kind(err):
    return None if err is None or (isinstance(err, float) and err != err) else err.split(":")[0]


def read_any(path: Path) -> pd.DataFrame:
    """Read an output file with nulls as None and ids as written."""
    if path.suffix == ".parquet":
        df = pq.read_table(path).to_pandas()
    elif path.suffix == ".jsonl":
        df = pd.DataFrame([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()])
    else:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        df["score"] = df["score"].astype(float)
    return df.astype(object).where(df.notna(), None)


def score(args, capsys):
    rc = main(["score", *map(str, args), "--quiet"])
    cap = capsys.readouterr()
    return rc, cap.err


def write_rows(path: Path, rows: list[dict]) -> Path:
    df = pd.DataFrame(rows)
    if path.suffix == ".csv":
        df.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        df.to_parquet(path, index=False)
    else:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def examples(n: int, seed: int = 5) -> list[dict]:
    return [{"id": e["id"], "text": e["text"]} for e in make_examples(n, seed)]


# ---------------------------------------------------------------------------------- broken input
@pytest.mark.parametrize("out_ext", [".csv", ".jsonl", ".parquet"])
def test_broken_csv_keeps_every_row_in_order(tmp_path, tiny_model_dir, tiny_clf, capsys, out_ext):
    src = tmp_path / "broken.csv"
    src.write_bytes(BROKEN_CSV)
    out = tmp_path / f"out{out_ext}"
    rc, err = score([src, "-o", out, "--model", tiny_model_dir, "--max-chars", 200], capsys)
    assert rc == 1, err
    df = read_any(out)
    assert list(df.columns) == ["id", *RESULT_COLUMNS]
    assert df["id"].tolist() == list(CSV_EXPECTED)  # one row per record, in input order
    assert [kind(e) for e in df["error"]] == list(CSV_EXPECTED.values())
    ok = df[df["error"].isna()]
    texts = ["Ayo coblos nomor dua! Pagi ini pelayanan lancar", "Guru-guru SD mengikuti pelatihan, kurikulum baru",
             "multi\nline: saya dukung pak hendra jadi presiden", "Jalan menuju pasar sudah diperbaiki oleh dinas PU"]
    preds = tiny_clf.predict(texts)
    assert ok["label"].tolist() == [p.label for p in preds]
    assert ok["score"].tolist() == pytest.approx([p.score for p in preds], abs=1e-6)
    for spans, text, p in zip(ok["spans"], texts, preds):
        got = json.loads(spans)
        assert [(s["start"], s["end"], s["category"]) for s in got] == [(s.start, s.end, s.category) for s in p.spans]
        assert all(text[s["start"]:s["end"]] == s["text"] for s in got)
    empty = df[df["id"].isin(["a2", "a8"])]
    assert empty["label"].tolist() == ["neutral", "neutral"] and empty["score"].tolist() == [0.0, 0.0]
    assert empty["spans"].tolist() == ["[]", "[]"]
    bad = df[df["id"].isin(["a4", "a5", "a6", "a9"])]
    assert bad["label"].isna().all() and bad["score"].isna().all()
    assert "line 5" in df.loc[df["id"] == "a4", "error"].item()


def test_broken_jsonl_keeps_every_row(tmp_path, tiny_model_dir, capsys):
    src = tmp_path / "broken.jsonl"
    src.write_bytes(BROKEN_JSONL)
    out = tmp_path / "out.jsonl"
    rc, _ = score([src, "-o", out, "--model", tiny_model_dir], capsys)
    assert rc == 1
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], kind(r["error"])) for r in rows] == JSONL_EXPECTED  # ids keep their JSON type
    assert rows[0]["label"] in ("partisan", "neutral") and 0.0 <= rows[0]["score"] <= 1.0
    assert rows[3]["error"].startswith("malformed JSON: line 4:")
    assert rows[9] == {"id": 10, "label": "neutral", "score": 0.0, "spans": "[]", "error": "empty text"}


def test_broken_parquet_keeps_every_row_and_id_type(tmp_path, tiny_model_dir, capsys):
    src = tmp_path / "in.parquet"
    table = pa.table({"id": pa.array([10, 11, 12, 13, 14], pa.int64()),
                      "text": ["Ayo coblos nomor dua!", None, "", "x" * 300, "Puskesmas membuka layanan"]})
    pq.write_table(table, src, row_group_size=2)  # row groups smaller than chunks
    out = tmp_path / "out.parquet"
    rc, _ = score([src, "-o", out, "--model", tiny_model_dir, "--max-chars", 100, "--chunk-size", 3], capsys)
    assert rc == 1
    res = pq.read_table(out)
    assert res.schema.field("id").type == pa.int64()
    assert res.column("id").to_pylist() == [10, 11, 12, 13, 14]
    assert [kind(e) for e in res.column("error").to_pylist()] == [None, "missing text", "empty text",
                                                                  "text too long", None]
    # a text column that is not a string column: every row is an error row, none is lost
    pq.write_table(pa.table({"text": pa.array([1, 2, 3], pa.int64())}), src)
    rc, _ = score([src, "-o", out, "--model", tiny_model_dir], capsys)
    assert rc == 1
    res = pq.read_table(out)
    assert res.column("row").to_pylist() == [0, 1, 2]
    assert res.column("error").to_pylist() == ["not a string: int"] * 3


def test_row_column_without_id_and_exit_0(tmp_path, tiny_model_dir, tiny_clf, capsys):
    rows = [{"text": r["text"]} for r in examples(25)]
    src = write_rows(tmp_path / "in.csv", rows)
    out = tmp_path / "out.csv"
    rc, err = score([src, "-o", out, "--model", tiny_model_dir, "--chunk-size", 10], capsys)
    assert rc == 0, err
    df = read_any(out)
    assert list(df.columns) == ["row", *RESULT_COLUMNS]
    assert df["row"].astype(int).tolist() == list(range(25))
    assert df["error"].isna().all()
    assert df["label"].tolist() == [p.label for p in tiny_clf.predict([r["text"] for r in rows])]


def test_id_and_text_column_options(tmp_path, tiny_model_dir, capsys):
    rows = [{"post_id": f"p{i}", "body": r["text"], "id": i} for i, r in enumerate(examples(6))]
    src = write_rows(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.csv"
    rc, _ = score([src, "-o", out, "--model", tiny_model_dir, "--text-column", "body", "--id-column", "post_id"],
                  capsys)
    assert rc == 0
    assert read_any(out)["post_id"].tolist() == [f"p{i}" for i in range(6)]
    # default: 'id' is used when present
    rc, _ = score([src, "-o", out, "--model", tiny_model_dir, "--text-column", "body"], capsys)
    assert rc == 0 and read_any(out)["id"].tolist() == [str(i) for i in range(6)]


@pytest.mark.parametrize("ext", [".csv", ".jsonl"])
def test_gzip_input(tmp_path, tiny_model_dir, capsys, ext):
    rows = examples(12)
    plain = write_rows(tmp_path / f"in{ext}", rows)
    gz = tmp_path / f"in{ext}.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    rc1, _ = score([plain, "-o", tmp_path / "a.jsonl", "--model", tiny_model_dir], capsys)
    rc2, _ = score([gz, "-o", tmp_path / "b.jsonl", "--model", tiny_model_dir], capsys)
    assert rc1 == rc2 == 0
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert len((tmp_path / "b.jsonl").read_text().splitlines()) == 12


def test_usage_errors_exit_2_with_one_line(tmp_path, tiny_model_dir, capsys):
    src = write_rows(tmp_path / "in.csv", examples(3))
    (tmp_path / "in.doc").write_text("x")
    out = tmp_path / "out.csv"
    cases = [
        ([tmp_path / "missing.csv", "-o", out, "--model", tiny_model_dir], "no such input file"),
        ([tmp_path / "in.doc", "-o", out, "--model", tiny_model_dir], "unknown file type"),
        ([src, "-o", tmp_path / "out.xls", "--model", tiny_model_dir], "save it as .xlsx"),
        ([src, "-o", out, "--model", tiny_model_dir, "--text-column", "body"], "no column 'body'"),
        ([src, "-o", out, "--model", tiny_model_dir, "--id-column", "nope"], "no id column 'nope'"),
        ([src, "-o", out, "--model", tmp_path / "no-model"], "no-model"),
        ([src, "-o", out, "--model", tiny_model_dir, "--threshold", "1.5"], "threshold"),
        ([src, "-o", out, "--model", tiny_model_dir, "--chunk-size", "0"], "chunk size"),
        ([src, "-o", src, "--model", tiny_model_dir], "must not be the input"),
        ([src, "-o", tmp_path / "nodir" / "o.csv", "--model", tiny_model_dir], "does not exist"),
        ([src, "-o", tmp_path / "o.csv.gz", "--model", tiny_model_dir], "compressed output"),
    ]
    for args, needle in cases:
        rc, err = score(args, capsys)
        assert rc == 2, (args, err)
        err = err.strip()
        assert err.startswith("netral: error:") and "\n" not in err and "Traceback" not in err, err
        assert needle in err, (needle, err)
        assert not out.exists()
    jl = tmp_path / "in.jsonl"
    jl.write_text('{"body": "a"}\n{"body": "b"}\n')
    rc, err = score([jl, "-o", out, "--model", tiny_model_dir], capsys)
    assert rc == 2 and "has a 'text' key" in err


def test_summary_line_and_progress_bar(tmp_path, tiny_model_dir, capsys):
    src = tmp_path / "broken.csv"
    src.write_bytes(BROKEN_CSV)
    rc = main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--model", str(tiny_model_dir), "--fast"])
    err = capsys.readouterr().err
    assert rc == 1
    summary = err.strip().splitlines()[-1]
    assert summary.startswith("netral: 10 rows in ") and "rows/s" in summary
    assert " partisan" in summary and "5 with errors" in summary
    assert "scoring:" in err  # the progress bar (tqdm, stderr)
    rc, err = score([src, "-o", tmp_path / "o.csv", "--model", tiny_model_dir], capsys)
    assert "scoring:" not in err and err.count("\n") == 1 and "10 rows" in err


# ------------------------------------------------------------------------------------ score_frame
def test_score_frame_equals_cli_output(tmp_path, tiny_model_dir, tiny_clf, capsys):
    rows = examples(60) + [{"id": "e1", "text": ""}, {"id": "e2", "text": "x" * 500}]
    src = write_rows(tmp_path / "in.csv", rows)
    out = tmp_path / "out.parquet"
    rc, _ = score([src, "-o", out, "--model", tiny_model_dir, "--chunk-size", 16, "--max-chars", 400,
                   "--batch-size", 8], capsys)
    assert rc == 1
    cli = read_any(out)
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    py = score_frame(df, id_column="id", classifier=tiny_clf, chunk_size=16, max_chars=400, batch_size=8)
    assert list(py.columns) == list(cli.columns) == ["id", *RESULT_COLUMNS]
    assert py.index.equals(df.index)
    for col in ["id", "label", "spans", "error"]:
        assert py[col].tolist() == cli[col].tolist(), col
    assert py["score"].fillna(-1).tolist() == cli["score"].fillna(-1).tolist()


def test_score_frame_bad_values_index_and_row(tiny_clf):
    df = pd.DataFrame({"text": ["Ayo coblos nomor dua!", None, 5, ["a"], "  ", "Puskesmas buka"]},
                      index=[10, 20, 30, 40, 50, 60])
    out = score_frame(df, classifier=tiny_clf)
    assert out.index.tolist() == [10, 20, 30, 40, 50, 60]
    assert out["row"].tolist() == [0, 1, 2, 3, 4, 5]
    assert [kind(e) for e in out["error"]] == [None, "missing text", "not a string", "not a string",
                                               "empty text", None]
    series = score_frame(pd.Series(["Ayo coblos nomor dua!", "Puskesmas buka"]), classifier=tiny_clf)
    assert series["label"].tolist() == out["label"].iloc[[0, 5]].tolist()
    assert len(score_frame(df.iloc[:0], classifier=tiny_clf)) == 0
    with pytest.raises(ValueError, match="no column 'body'"):
        score_frame(df, text_column="body", classifier=tiny_clf)
    # chunking does not change results
    many = pd.DataFrame(examples(40))
    a, b = score_frame(many, classifier=tiny_clf, chunk_size=7), score_frame(many, classifier=tiny_clf)
    assert a["label"].tolist() == b["label"].tolist()
    assert a["score"].tolist() == pytest.approx(b["score"].tolist(), abs=1e-5)


def test_model_error_is_isolated_to_its_row(tiny_clf):
    class Flaky:
        threshold = tiny_clf.threshold

        def predict(self, texts, **kw):
            if (isinstance(texts, str) and "BOOM" in texts) or (not isinstance(texts, str) and
                                                                any("BOOM" in t for t in texts)):
                raise RuntimeError("kernel exploded\nsecond line")
            return tiny_clf.predict(texts, **kw)

    df = pd.DataFrame({"text": ["Ayo coblos nomor dua!", "BOOM here", "Puskesmas buka"]})
    out = score_chunk(df, Flaky())
    assert out["error"].tolist()[0] is None and out["error"].tolist()[2] is None
    assert out["error"][1] == "model error: RuntimeError: kernel exploded second line"
    assert out["label"].notna().tolist() == [True, False, True]


# ----------------------------------------------------------------------------------- resuming
class InterruptAfter:
    """A classifier that raises KeyboardInterrupt (like Ctrl-C) on its n-th call."""

    def __init__(self, clf, n: int):
        self.clf, self.n, self.name = clf, n, "tiny"

    @property
    def threshold(self):
        return self.clf.threshold

    def predict(self, texts, **kw):
        self.n -= 1
        if self.n < 0:
            raise KeyboardInterrupt
        return self.clf.predict(texts, **kw)


@pytest.mark.parametrize("ext", [".csv", ".jsonl", ".parquet"])
def test_resume_after_interrupt_equals_uninterrupted(tmp_path, tiny_clf, ext):
    rows = examples(70) + [{"id": "bad", "text": ""}]
    src = write_rows(tmp_path / "in.jsonl", rows)
    full, resumed = tmp_path / f"full{ext}", tmp_path / f"resumed{ext}"
    kw = {"chunk_size": 10, "progress": False, "report_top": 5}
    s = score_file(src, full, classifier=InterruptAfter(tiny_clf, 10**6), report=tmp_path / "full.html", **kw)
    assert s.rows == 71 and s.errors == 1
    with pytest.raises(KeyboardInterrupt):
        score_file(src, resumed, classifier=InterruptAfter(tiny_clf, 3), **kw)
    partial, state = partial_paths(resumed)
    assert not resumed.exists() and partial.exists()
    assert json.loads(state.read_text())["rows"] == 30
    if ext != ".parquet":  # bytes written after the last commit (killed mid-chunk) are dropped
        with open(partial, "a", encoding="utf-8") as fh:
            fh.write("half-written chunk")
    s = score_file(src, resumed, classifier=InterruptAfter(tiny_clf, 10**6), resume=True,
                   report=tmp_path / "resumed.html", **kw)
    assert (s.rows, s.resumed_rows, s.errors) == (71, 30, 1)
    assert not partial.exists() and not state.exists()
    if ext == ".parquet":
        assert pq.read_table(resumed).equals(pq.read_table(full))
    else:
        assert resumed.read_bytes() == full.read_bytes()

    def body(p):
        return p.read_text(encoding="utf-8").split("generated", 1)[1].split("</p>", 1)[1]

    assert body(tmp_path / "resumed.html") == body(tmp_path / "full.html")


def test_resume_refuses_when_input_or_settings_changed(tmp_path, tiny_clf):
    src = write_rows(tmp_path / "in.csv", examples(30))
    out = tmp_path / "out.csv"
    with pytest.raises(KeyboardInterrupt):
        score_file(src, out, classifier=InterruptAfter(tiny_clf, 1), chunk_size=10, progress=False)
    from netral_nlp.errors import UsageError

    same = InterruptAfter(tiny_clf, 10**6)
    with pytest.raises(UsageError, match="cannot resume: batch_size changed"):
        score_file(src, out, classifier=same, chunk_size=10, batch_size=4, resume=True, progress=False)
    with open(src, "a") as fh:
        fh.write("x1,new row\n")
    with pytest.raises(UsageError, match="cannot resume: input_stamp changed"):
        score_file(src, out, classifier=same, chunk_size=10, resume=True, progress=False)
    # without --resume it starts over and cleans up
    s = score_file(src, out, classifier=same, chunk_size=10, progress=False)
    assert s.rows == 31 and s.resumed_rows == 0 and not any(p.exists() for p in partial_paths(out))


def _cli(*args):
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    return [sys.executable, "-m", "netral_nlp.cli", "score", *map(str, args)], env


def test_resume_after_sigkill_equals_uninterrupted_run(tmp_path, tiny_model_dir):
    rows = examples(3000, seed=9)
    rows[7]["text"] = ""
    src = write_rows(tmp_path / "in.csv", rows)
    common = ["--model", tiny_model_dir, "--chunk-size", 100, "--threads", 1, "--quiet"]
    out = tmp_path / "killed.csv"
    partial, state = partial_paths(out)
    cmd, env = _cli(src, "-o", out, *common)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    committed = 0
    try:
        while time.time() < deadline and proc.poll() is None:
            if state.exists():
                try:
                    committed = json.loads(state.read_text())["rows"]
                except (ValueError, KeyError):  # os.replace makes this rare, but be safe
                    committed = 0
                if committed >= 100:
                    break
            time.sleep(0.01)
        assert proc.poll() is None, "the run finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL and committed >= 100
    assert not out.exists() and partial.exists()
    cmd, env = _cli(src, "-o", out, *common, "--resume")
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 1, res.stderr  # the empty text is an error row
    assert "resumed after" in res.stderr
    cmd, env = _cli(src, "-o", tmp_path / "full.csv", *common)
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 1, res.stderr
    assert out.read_bytes() == (tmp_path / "full.csv").read_bytes()
    assert len(read_any(out)) == 3000 and not partial.exists() and not state.exists()
