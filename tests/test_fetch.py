"""``netral data fetch --mirror`` and ``netral data status`` on a small corpora folder of invented
text, served over loopback HTTP (no internet): verification, failures (corrupted file, interrupted
download, no network, moved file), resume, and the annotations resolving from the fetched folder."""
from __future__ import annotations

import hashlib
import json
import re
import socket
import warnings
from pathlib import Path

import pytest
from loopback import serve

from netral_nlp.cli.main import main
from netral_nlp.corpora import FetchFailed, fetch, status
from netral_nlp.data.real import CorporaMissing, corpora_dir, load_real, sha1

SMSA = "indonlu/smsa_doc-sentiment-prosa/train_preprocess.tsv"
STIF = "extra/stif_tweets.txt"
SMSA_ROWS = ["warung kopi di ujung gang enak dan murah\tpositive",
             "antrean di loket parkir lama sekali hari ini\tnegative",
             "pak lurah bilang coblos nomor tiga pokoknya\tnegative"] * 40  # ~5 kB, several chunks
STIF_LINES = ["min paket sy blm nyampe udh 3 hari", "kak tolong cek pesanan saya ya", "aplikasi error terus dari pagi"]


def _bytes(path: str) -> bytes:
    lines = SMSA_ROWS if path == SMSA else STIF_LINES
    return ("\n".join(lines) + "\n").encode("utf-8")


def _entry(path: str, source: str, uses: list[str]) -> dict:
    data = _bytes(path)
    return {"path": path, "source": source, "sha1": hashlib.sha1(data).hexdigest(), "size": len(data),
            "used_by": uses, "repository": "example/repo", "commit": "abc1234", "licence": "MIT",
            "attribution": f"Invented {source} (test)", "derivation": "verbatim", "upstream": [["x", "verbatim"]]}


@pytest.fixture
def world(tmp_path):
    """A mirror folder, its manifest and annotations pointing into it."""
    mirror = tmp_path / "mirror"
    for path in (SMSA, STIF):
        (mirror / path).parent.mkdir(parents=True, exist_ok=True)
        (mirror / path).write_bytes(_bytes(path))
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "files": [
        _entry(SMSA, "indonlu/smsa", ["annotations"]), _entry(STIF, "extra/stif_tweets", ["pretraining"])]}))
    text = SMSA_ROWS[2].split("\t")[0]
    ann = [{"id": "r-1", "source": "indonlu/smsa", "row": 2, "sha1": sha1(text), "split": "train",
            "label": "partisan", "spans": [{"start": 9, "end": len(text), "category": "vote_call"}]},
           {"id": "r-2", "source": "extra/stif_tweets", "row": 1, "sha1": sha1(STIF_LINES[1]), "split": "dev",
            "label": "neutral", "spans": []}]
    annotations = tmp_path / "annotations.jsonl"
    annotations.write_text("\n".join(json.dumps(a) for a in ann) + "\n")
    return {"mirror": mirror, "manifest": manifest, "annotations": annotations, "target": tmp_path / "corpora"}


def _fetch(world, mirror, **kw):
    log: list[str] = []
    out = fetch(world["target"], mirror=mirror, progress=False, log=log.append, manifest=world["manifest"],
                annotations=world["annotations"], **kw)
    return out, log


def test_mirror_over_http_gives_verified_files_and_resolving_annotations(world):
    with serve(world["mirror"]) as (url, _):
        out, log = _fetch(world, url)
    assert out["fetched"] == 2 and out["annotations"]["resolved"] == 2
    for path in (SMSA, STIF):
        assert (world["target"] / path).read_bytes() == _bytes(path)
    assert any("Invented indonlu/smsa (test) [example/repo @ abc1234; licence MIT]" in line for line in log)
    real = load_real(None, corpora=world["target"], annotations=world["annotations"])
    assert [e.id for e in real] == ["r-1", "r-2"] and real[0].text.endswith("nomor tiga pokoknya")
    rows = status(world["target"], manifest=world["manifest"], annotations=world["annotations"])
    assert [r["state"] for r in rows[:-1]] == ["verified", "verified"]
    # a second run finds everything in place
    with serve(world["mirror"]) as (url, handler):
        out, _ = _fetch(world, url)
    assert out["present"] == 2 and out["fetched"] == 0 and handler.ranges == []


def test_a_local_mirror_folder_and_only(world):
    out, _ = _fetch(world, str(world["mirror"]), only="annotations")
    assert out["fetched"] == 1 and (world["target"] / SMSA).is_file() and not (world["target"] / STIF).exists()
    assert out["annotations"]["absent_sources"] == ["extra/stif_tweets"]
    with pytest.raises(ValueError, match="unknown"):
        _fetch(world, str(world["mirror"]), only="nonsense")


def test_a_corrupted_file_is_named_and_not_kept(world):
    data = bytearray(_bytes(SMSA))
    data[100] ^= 1
    (world["mirror"] / SMSA).write_bytes(bytes(data))
    with serve(world["mirror"]) as (url, _), pytest.raises(FetchFailed) as info:
        _fetch(world, url)
    (err,) = info.value.errors
    assert (err.what, err.reason) == ("indonlu/smsa", "checksum") and "sha1" in str(info.value)
    assert not (world["target"] / SMSA).exists() and not (world["target"] / (SMSA + ".part")).exists()
    assert (world["target"] / STIF).read_bytes() == _bytes(STIF)  # the other source still arrived
    rows = status(world["target"], manifest=world["manifest"], annotations=world["annotations"])
    assert {r["path"]: r["state"] for r in rows[:-1]} == {SMSA: "missing", STIF: "verified"}


def test_an_interrupted_download_is_resumed_with_a_range_request(world):
    with serve(world["mirror"], cut_after={SMSA: 1000}) as (url, handler):
        with pytest.raises(FetchFailed) as info:
            _fetch(world, url)
        assert [e.reason for e in info.value.errors] == ["interrupted"]
        part = world["target"] / (SMSA + ".part")
        assert part.stat().st_size == 1000 and not (world["target"] / SMSA).exists()
        out, _ = _fetch(world, url)
    assert (SMSA, 1000) in handler.ranges and out["fetched"] == 1
    assert (world["target"] / SMSA).read_bytes() == _bytes(SMSA) and not part.exists()


def test_a_server_that_ignores_range_restarts_the_file(world):
    with serve(world["mirror"], cut_after={SMSA: 1000}, honour_range=False) as (url, _):
        with pytest.raises(FetchFailed):
            _fetch(world, url)
        _fetch(world, url)
    assert (world["target"] / SMSA).read_bytes() == _bytes(SMSA)


def test_no_network_and_a_moved_file_are_told_apart(world):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    with pytest.raises(FetchFailed) as info:
        _fetch(world, f"http://127.0.0.1:{port}")
    assert {e.reason for e in info.value.errors} == {"no network"}
    assert "cannot reach 127.0.0.1" in str(info.value)
    (world["mirror"] / STIF).unlink()
    with serve(world["mirror"]) as (url, _), pytest.raises(FetchFailed) as info:
        _fetch(world, url)
    assert [(e.what, e.reason) for e in info.value.errors] == [("extra/stif_tweets", "missing")]
    assert "404" in str(info.value)


def test_status_sees_a_changed_file(world):
    _fetch(world, str(world["mirror"]))
    (world["target"] / STIF).write_text("diubah\n")
    rows = status(world["target"], manifest=world["manifest"], annotations=world["annotations"])
    assert {r["path"]: r["state"] for r in rows[:-1]}[STIF] == "changed"
    assert rows[-1]["annotations"]["broken"] == ["r-2"]
    with warnings.catch_warnings(), pytest.raises(ValueError, match="sha1"):
        load_real("dev", corpora=world["target"], annotations=world["annotations"])


def test_the_command_reports_each_failed_source(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code = main(["data", "fetch", "--mirror", str(tmp_path / "empty"), "--target", str(tmp_path / "c"),
                 "--only", "indonlu/casa,indonlu/emot", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "indonlu/casa: missing" in err and "indonlu/emot: missing" in err


def test_a_clone_without_corpora_is_told_to_fetch(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRAL_CORPORA", str(tmp_path / "nowhere"))
    with pytest.raises(CorporaMissing, match="netral data fetch"):
        corpora_dir()
    (tmp_path / "nowhere").mkdir()
    with pytest.raises(CorporaMissing, match="netral data fetch"):
        load_real("test")


def test_one_library_module_names_the_lab_folder():
    package = Path(__file__).resolve().parents[1] / "netral_nlp"
    naming = sorted(str(p.relative_to(package)) for p in package.rglob("*.py")
                    if re.search(r"\.\./shared|\"shared\"", p.read_text(encoding="utf-8")))
    assert naming == ["data/real.py"]


def test_the_real_data_as_a_datasets_dict(world):
    from netral_nlp.data import real_dataset

    _fetch(world, str(world["mirror"]))
    ds = real_dataset(corpora=world["target"], annotations=world["annotations"])
    assert {k: len(v) for k, v in ds.items()} == {"train": 1, "dev": 1, "test": 0}
    row = ds["train"][0]
    assert row["label"] == 1 and ds["train"].features["label"].names == ["neutral", "partisan"]
    assert row["source"] == "indonlu/smsa" and row["text"].startswith("pak lurah")
    assert row["spans"] == [{"start": 9, "end": len(row["text"]), "category": "vote_call"}]
