"""Real files (issue 20): the encodings Excel and scrapers write, tab-separated input, an encoding that
changes midway, ``--encoding``, and the text column picked when there is no ``text`` column. Fast: an
echo classifier stands in for the model (each text comes back as one span holding all of it)."""
from __future__ import annotations

import codecs
import gzip
import json
from pathlib import Path

import pytest

from netral_nlp.batch.io.encoding import detect_bytes
from netral_nlp.batch.run import score_file
from netral_nlp.errors import UsageError
from netral_nlp.predictions import Prediction, Span

# invented posts with the characters cp1252 files carry: accents, curly quotes, dashes, ellipsis
POSTS = ["Ayo coblos nomor 2, kafé di desa – “pilih” dia", "Rapat dinas jam sembilan… semua hadir",
         "Saya dukung Pak Darsono jadi bupati ’24", "Harga beras naik lagi"]


class Echo:
    threshold, name = 0.5, "echo"

    def predict(self, texts, batch_size=32, threshold=None):
        one = isinstance(texts, str)
        out = [Prediction(t, "partisan", 1.0, [Span(0, len(t), t, "vote_call", 1.0)]) for t in ([texts] if one else texts)]
        return out[0] if one else out


def table(rows, sep=",", header=("id", "text"), eol="\n") -> str:
    return sep.join(header) + eol + "".join(f'{i}{sep}"{t}"{eol}' for i, t in rows)


def run(path: Path, tmp_path: Path, **kw):
    out = tmp_path / "out.jsonl"
    summary = score_file(path, out, classifier=Echo(), progress=False, **kw)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return summary, rows


def texts_of(rows) -> list:
    return [json.loads(r["spans"])[0]["text"] if r["error"] is None else None for r in rows]


ROWS = list(enumerate(POSTS, 1))
FILES = {  # name: (bytes, what the summary says)
    "utf8.csv": (table(ROWS).encode("utf-8"), "utf-8 (detected)"),
    "utf8bom.csv": (table(ROWS).encode("utf-8-sig"), "utf-8 (BOM)"),
    "excel.csv": (table(ROWS).encode("cp1252"), "cp1252 (detected)"),  # Excel "CSV (Comma delimited)"
    "excel_semicolon.csv": (table(ROWS, ";").encode("cp1252"), "cp1252 (detected)"),  # comma-decimal locales
    "unicode_text.txt": (table(ROWS, "\t", eol="\r\n").encode("utf-16"), "utf-16 (BOM)"),  # Excel "Unicode Text"
    "utf16be.tsv": (codecs.BOM_UTF16_BE + table(ROWS, "\t").encode("utf-16-be"), "utf-16 (BOM)"),
    "utf32.tsv": (table(ROWS, "\t").encode("utf-32"), "utf-32 (BOM)"),
    "tabs.tsv.gz": (gzip.compress(table(ROWS, "\t").encode("cp1252")), "cp1252 (detected)"),
    "posts.jsonl": ("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                            for i, t in ROWS).encode("cp1252"), "cp1252 (detected)"),
    "posts16.jsonl": ("".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                              for i, t in ROWS).encode("utf-16"), "utf-16 (BOM)"),
}


@pytest.mark.parametrize("name", FILES)
def test_each_encoding_reads_back_the_same_texts(tmp_path, name):
    data, described = FILES[name]
    src = tmp_path / name
    src.write_bytes(data)
    s, rows = run(src, tmp_path)
    assert texts_of(rows) == POSTS
    assert [r["id"] for r in rows] == ([1, 2, 3, 4] if name.endswith(".jsonl") else ["1", "2", "3", "4"])
    assert s.encoding == described and s.errors == s.undecodable == 0


def test_an_encoding_that_changes_midway(tmp_path):
    """UTF-8 rows, then rows appended from a cp1252 export, then a row that is neither: the cp1252 rows
    are read as cp1252, the last keeps its error (which names --encoding), one row out per row in."""
    src = tmp_path / "appended.csv"
    src.write_bytes(table(ROWS[:2]).encode("utf-8") + table(ROWS[2:], header=()).encode("cp1252")[1:]
                    + b'9,"rusak \x81\x8d di sini"\n')
    s, rows = run(src, tmp_path)
    assert texts_of(rows) == POSTS + [None]
    assert s.encoding == "utf-8 (detected; 1 row cp1252)"  # "Harga beras naik lagi" is plain ASCII
    assert rows[-1]["error"].startswith("undecodable bytes") and "--encoding" in rows[-1]["error"]
    assert s.undecodable == 1 and s.rows == 5


def test_a_change_after_the_detection_sample(tmp_path):
    long = "Jalan desa diperbaiki — warga senang. " * 30
    head = table([(i, long) for i in range(1000)]).encode("utf-8")
    assert len(head) > 1 << 20  # past the sample detection reads
    src = tmp_path / "long.csv"
    src.write_bytes(head + table([(2000, POSTS[0])], header=()).encode("cp1252")[1:])
    s, rows = run(src, tmp_path, chunk_size=400)
    assert len(rows) == 1001 and texts_of(rows)[-1] == POSTS[0] and s.errors == 0


def test_encoding_given(tmp_path):
    src = tmp_path / "excel.csv"
    src.write_bytes(table(ROWS).encode("cp1252"))
    s, rows = run(src, tmp_path, encoding="cp1252")
    assert texts_of(rows) == POSTS and s.encoding == "cp1252 (given)"
    s, rows = run(src, tmp_path, encoding="utf-8")  # wrong, and said so: nothing is guessed
    assert [r["error"] is not None for r in rows] == [True, True, True, False]
    assert s.undecodable == 3 and all("--encoding" in r["error"] for r in rows[:3])
    with pytest.raises(UsageError, match="unknown encoding 'klingon'"):
        run(src, tmp_path, encoding="klingon")
    pq = tmp_path / "in.parquet"
    pq.write_bytes(b"PAR1")
    with pytest.raises(UsageError, match="CSV, TSV and JSONL input only"):
        run(pq, tmp_path, encoding="cp1252")


@pytest.mark.parametrize("sample, codec", [
    (b"id,text\n1,plain ascii\n", "utf-8-sig"),
    ("1,kafé\n".encode(), "utf-8-sig"),
    ("1,kafé\n".encode("cp1252"), "cp1252"),
    (b"1,\x81\x8d\xe9\n", "iso8859-1"),  # bytes cp1252 leaves undefined: latin-1
    (codecs.BOM_UTF32_LE + "x".encode("utf-32-le"), "utf-32"),
])
def test_detection(sample, codec):
    assert detect_bytes(sample).codec == codec


@pytest.mark.parametrize("header, picked", [
    (("no", "isi"), "isi"), (("id", "Teks"), "Teks"), (("created_at", "full_text"), "full_text"),
    (("id", "Text"), "Text"), (("status", "caption"), "caption"), (("isi", "text"), "text"),
])
def test_an_obvious_text_column_is_picked_and_said(tmp_path, header, picked):
    src = tmp_path / "in.csv"
    src.write_text(table(ROWS, header=header), encoding="utf-8")
    s, rows = run(src, tmp_path, text_column=None)
    assert texts_of(rows) == POSTS
    assert s.text_column == picked and s.text_column_chosen == (picked != "text")


def test_jsonl_keys_are_looked_at_for_the_text_column(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "konten": t}) + "\n" for i, t in ROWS), encoding="utf-8")
    s, rows = run(src, tmp_path, text_column=None)
    assert texts_of(rows) == POSTS and s.text_column == "konten" and s.text_column_chosen
    src.write_text(json.dumps({"body": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"has a 'text' key \(keys: body\)"):
        run(src, tmp_path, text_column=None)


@pytest.mark.parametrize("header, column, nearest", [
    (("no", "Txet"), None, "nearest: 'Txet'"), (("no", "body"), None, None), (("no", "isi"), "Isi", "nearest: 'isi'"),
])
def test_no_text_column_lists_the_columns_and_the_nearest(tmp_path, header, column, nearest):
    src = tmp_path / "in.csv"
    src.write_text(table(ROWS, header=header), encoding="utf-8")
    with pytest.raises(UsageError) as err:
        run(src, tmp_path, text_column=column, lang="en")
    assert f"columns: {', '.join(header)}" in str(err.value)
    assert (nearest in str(err.value)) if nearest else ("nearest" not in str(err.value))


def test_summary_line_names_the_encoding_the_column_and_the_fix(tmp_path, monkeypatch, capsys):
    import netral_nlp.batch.run as batch_run
    from netral_nlp.cli import main

    real = batch_run.score_file
    monkeypatch.setattr(batch_run, "score_file", lambda *a, **kw: real(*a, **{**kw, "classifier": Echo()}))
    src = tmp_path / "excel.csv"
    src.write_bytes(table(ROWS, header=("no", "isi")).encode("cp1252"))
    assert main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--quiet", "--lang", "en"]) == 0
    line = capsys.readouterr().err.strip()
    assert "encoding cp1252 (detected)" in line and "text column 'isi'" in line and "--encoding" not in line
    assert main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--quiet", "--lang", "en",
                 "--encoding", "utf-8", "--text-column", "isi"]) == 1
    line = capsys.readouterr().err.strip()
    assert "encoding utf-8 (given)" in line and "3 rows could not be decoded" in line and "--encoding" in line
    assert "text column" not in line
