""".xlsx in and out of ``netral score`` (issue 13): sheets, bad cells as per-row errors, the row
limit, --resume."""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from synthetic import make_examples

from netral_nlp.batch.io import xlsx as xlsx_io
from netral_nlp.cli import main


def read_xlsx(path: Path) -> list[dict]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def score(args, capsys):
    rc = main(["score", *map(str, args), "--quiet", "--lang", "en"])
    return rc, capsys.readouterr().err


def bad_cells_workbook(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("cover").write(0, 0, "not the data")
    ws = wb.add_worksheet("posts")
    ws.write_row(0, 0, ["id", "text", "note"])
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(1, 0, ["a1", "Ayo coblos nomor dua!", "x"])
    ws.write_number(2, 0, 2)
    ws.write_number(2, 1, 42)  # a number
    ws.write(3, 0, "a3")
    ws.write_datetime(3, 1, datetime.datetime(2024, 2, 14), date)  # a date
    ws.write(4, 0, "a4")
    ws.write_formula(4, 1, '="coblos "&"nomor 2"', None, "coblos nomor 2")  # a formula
    ws.write(5, 0, "a5")  # an empty text cell
    ws.write_string(6, 0, "a6")
    ws.write_string(6, 1, "=bukan rumus, teks biasa")  # text that starts with "=" is text
    ws.write(7, 0, "a7")
    ws.write_boolean(7, 1, True)
    # row 9 (index 8) is fully empty, followed by data: it is a row
    ws.write(9, 0, "a10")
    ws.write_string(9, 1, "Puskesmas membuka layanan malam")
    wb.close()


def test_bad_cells_are_error_rows_one_row_each(tmp_path, tiny_model_dir, tiny_clf, capsys):
    src = tmp_path / "in.xlsx"
    bad_cells_workbook(src)
    out = tmp_path / "out.xlsx"
    rc, err = score([src, "-o", out, "--model", tiny_model_dir, "--sheet", "posts"], capsys)
    assert rc == 1, err
    rows = read_xlsx(out)
    assert list(rows[0]) == ["id", "label", "score", "spans", "error"]
    assert [r["id"] for r in rows] == ["a1", 2, "a3", "a4", "a5", "a6", "a7", None, "a10"]
    kinds = [r["error"] for r in rows]
    assert kinds == [None, "not a string: int", "not a string: datetime", "not a string: formula", "missing text",
                     None, "not a string: bool", "missing text", None]
    ok = [r for r in rows if r["error"] is None]
    preds = tiny_clf.predict(["Ayo coblos nomor dua!", "=bukan rumus, teks biasa", "Puskesmas membuka layanan malam"])
    assert [r["label"] for r in ok] == [p.label for p in preds]
    assert [r["score"] for r in ok] == pytest.approx([p.score for p in preds], abs=1e-6)
    texts = ["Ayo coblos nomor dua!", "=bukan rumus, teks biasa", "Puskesmas membuka layanan malam"]
    for r, text in zip(ok, texts):
        for s in json.loads(r["spans"]):  # spans are JSON text, offsets into the cell's text
            assert text[s["start"]:s["end"]] == s["text"]
    # the first sheet is the default; a missing sheet is a one-line usage error naming the sheets
    rc, err = score([src, "-o", out, "--model", tiny_model_dir], capsys)
    assert rc == 2 and "no column 'text'" in err
    rc, err = score([src, "-o", out, "--model", tiny_model_dir, "--sheet", "data"], capsys)
    assert rc == 2 and "no sheet 'data'" in err and "'cover', 'posts'" in err
    rc, err = score([src, "-o", tmp_path / "o2.csv", "--model", tiny_model_dir, "--sheet", "1"], capsys)
    assert rc == 1 and len(pd.read_csv(tmp_path / "o2.csv")) == 9  # a 0-based index works too


def test_xlsx_output_matches_csv_output_and_ids_are_not_formulas(tmp_path, tiny_model_dir, capsys):
    rows = [{"id": f"=HYPERLINK(\"x{i}\")" if i == 0 else f"r{i}", "text": e["text"]}
            for i, e in enumerate(make_examples(30, 5))]
    src = tmp_path / "in.csv"
    pd.DataFrame(rows).to_csv(src, index=False)
    rc1, _ = score([src, "-o", tmp_path / "o.csv", "--model", tiny_model_dir, "--chunk-size", 7], capsys)
    rc2, _ = score([src, "-o", tmp_path / "o.xlsx", "--model", tiny_model_dir, "--chunk-size", 7], capsys)
    assert rc1 == rc2 == 0
    want = pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False)
    got = read_xlsx(tmp_path / "o.xlsx")
    assert [r["id"] for r in got] == want["id"].tolist()  # "=HYPERLINK(...)" stays a string
    assert [r["label"] for r in got] == want["label"].tolist()
    assert [r["spans"] for r in got] == want["spans"].tolist()
    assert [round(r["score"], 6) for r in got] == [round(float(s), 6) for s in want["score"]]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "o.csv", "o.xlsx"]


def test_xlsx_input_to_every_format_and_the_row_column(tmp_path, tiny_model_dir, capsys):
    src = tmp_path / "in.xlsx"
    df = pd.DataFrame({"body": [e["text"] for e in make_examples(12, 2)]})
    df.to_excel(src, index=False)  # pandas' own writer (openpyxl)
    for ext in (".csv", ".jsonl", ".parquet"):
        rc, err = score([src, "-o", tmp_path / f"o{ext}", "--model", tiny_model_dir, "--text-column", "body"], capsys)
        assert rc == 0, err
    out = pd.read_parquet(tmp_path / "o.parquet")
    assert out["row"].tolist() == list(range(12)) and out["error"].isna().all()


def test_excel_row_limit_is_refused_cleanly(tmp_path, tiny_model_dir, tiny_clf, capsys, monkeypatch):
    monkeypatch.setattr(xlsx_io, "EXCEL_MAX_ROWS", 11)  # a sheet of a header and 10 rows
    src = tmp_path / "in.csv"
    pd.DataFrame({"text": [e["text"] for e in make_examples(25, 3)]}).to_csv(src, index=False)
    out = tmp_path / "out.xlsx"
    # the row count is not known up front for CSV: it fails while writing, leaving no half file
    rc, err = score([src, "-o", out, "--model", tiny_model_dir, "--chunk-size", 4], capsys)
    assert rc == 2 and "Excel's limit of 11 rows" in err and "write .csv or .parquet" in err
    assert "\n" not in err.strip()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    # known up front (Parquet): refused before any scoring
    pq = tmp_path / "in.parquet"
    pd.read_csv(src).to_parquet(pq)
    rc, err = score([pq, "-o", out, "--model", tiny_model_dir], capsys)
    assert rc == 2 and "(25 rows)" in err and not out.exists()
    # 10 rows fit
    pd.read_csv(src).head(10).to_csv(src, index=False)
    rc, err = score([src, "-o", out, "--model", tiny_model_dir, "--chunk-size", 4], capsys)
    assert rc == 0 and len(read_xlsx(out)) == 10


def test_resume_with_xlsx_output_gives_the_same_workbook(tmp_path, tiny_model_dir, tiny_clf, monkeypatch):
    from netral_nlp.batch import run as run_mod
    from netral_nlp.batch.run import score_file

    src = tmp_path / "in.csv"
    pd.DataFrame({"id": [f"r{i}" for i in range(40)],
                  "text": [e["text"] for e in make_examples(40, 8)]}).to_csv(src, index=False)
    full = tmp_path / "full.xlsx"
    score_file(src, full, classifier=tiny_clf, chunk_size=6, progress=False)

    out = tmp_path / "out.xlsx"
    real = run_mod.score_chunk
    calls = {"n": 0}

    def flaky(*a, **k):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(run_mod, "score_chunk", flaky)
    with pytest.raises(KeyboardInterrupt):
        score_file(src, out, classifier=tiny_clf, chunk_size=6, progress=False)
    assert not out.exists()
    partial = tmp_path / "out.xlsx.netral-partial"
    with open(partial, "a", encoding="utf-8") as fh:  # written after the last commit: dropped on resume
        fh.write('{"id": "half-written')
    monkeypatch.setattr(run_mod, "score_chunk", real)
    s = score_file(src, out, classifier=tiny_clf, chunk_size=6, progress=False, resume=True)
    assert s.resumed_rows == 18 and s.rows == 40
    assert read_xlsx(out) == read_xlsx(full)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.xlsx", "in.csv", "out.xlsx"]


def test_spans_too_long_for_a_cell_are_cut_with_a_note(tmp_path):
    part = tmp_path / "p.jsonl"
    spans = [{"start": i, "end": i + 1, "text": "x", "category": "attack", "score": 0.5} for i in range(600)]
    part.write_text(json.dumps({"row": 0, "label": "partisan", "score": 0.9, "spans": json.dumps(spans),
                                "error": None}) + "\n", encoding="utf-8")
    xlsx_io.write_workbook(part, tmp_path / "o.xlsx", ["row", "label", "score", "spans", "error"])
    row = read_xlsx(tmp_path / "o.xlsx")[0]
    kept = json.loads(row["spans"])  # still valid JSON
    assert 0 < len(kept) < 600 and len(row["spans"]) <= 32_767
    assert row["error"].startswith(f"spans cut: {len(kept)} of 600")
