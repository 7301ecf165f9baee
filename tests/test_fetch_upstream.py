"""``netral data fetch`` from upstream, without internet: small upstream-shaped files (invented text,
the real upstreams' formats and encodings) served from loopback as ``<repository>/<commit>/<path>``,
then derived: IndoNLU verbatim, the 2024 tweets by the corpora README's rule, ``extra/`` by the
project's own rule with its annotations found again by sha1 or reported missing."""
from __future__ import annotations

import hashlib
import json
import warnings

import pytest
from loopback import serve

from netral_nlp.corpora import FetchFailed, fetch, status
from netral_nlp.corpora.derive import derive_lines, derive_tweets, detokenize, documents
from netral_nlp.data.real import load_real, sha1

HEADER = "Unnamed: 0.1,Date,Created,User ID,Followers,Following,Tweet Count,Tweet Location,Tweet"
# Anies-shaped: UTF-8 with a BOM; an empty tweet, a repeated one, surrounding spaces, a quoted comma.
ANIES = ("\ufeff" + HEADER + "\r\n"
         "0,2023-10-01 08:15:00+00:00,2012-05-01,11,10,20,30,Jakarta,  ayo datang ke tps tanggal 14  \r\n"
         '1,2023-10-02 09:00:00+00:00,2015-01-09,12,1,2,3,"Depok, Jawa Barat","warung pak min buka, mantap"\r\n'
         "2,2023-10-02 10:00:00+00:00,2015-01-09,13,1,2,3,Bogor,   \r\n"
         "3,2023-10-03 11:00:00+00:00,2016-03-03,14,5,6,7,,ayo datang ke tps tanggal 14\r\n"
         "4,2023-10-04 12:30:00+00:00,2016-03-03,15,5,6,7,Bekasi,debat capres malam ini seru \U0001f44d\r\n"
         ).encode("utf-8")
# Ganjar/Prabowo-shaped: no BOM, cp1252 bytes (not UTF-8) in the location column.
GANJAR = (HEADER.encode() + b"\n"
          b"0,2023-11-05 07:00:00+00:00,2010-02-02,21,1,1,1,Caf\xe9 \x93Kopi\x94 Solo,macet parah di jalan tol pagi ini\n"
          b"1,2023-11-06 07:00:00+00:00,2010-02-02,22,1,1,1,Semarang \x96 Jateng,\"harga cabai naik lagi\"\n"
          b"2,2023-11-06 08:00:00+00:00,2010-02-02,23,1,1,1,Klaten,macet parah di jalan tol pagi ini\n")
ANIES_OUT = ("date,text\r\n2023-10-01,ayo datang ke tps tanggal 14\r\n"
             '2023-10-02,"warung pak min buka, mantap"\r\n2023-10-04,debat capres malam ini seru \U0001f44d\r\n')
GANJAR_OUT = "date,text\r\n2023-11-05,macet parah di jalan tol pagi ini\r\n2023-11-06,harga cabai naik lagi\r\n"
CASA = b"sentence,fuel,machine\nmesin halus dan irit bensin,positive,positive\nremnya agak keras,neutral,negative\n"
STIF_INF = b"min  paketnya blm sampe\nkak tolong dicek ya\n\nmin  paketnya blm sampe\n"
STIF_FOR = b"admin, paketnya belum sampai\n"


def _h(data: bytes | str) -> str:
    return hashlib.sha1(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def test_the_tweets_rule_on_both_upstream_encodings():
    with pytest.raises(UnicodeDecodeError):
        GANJAR.decode("utf-8")  # the fixture really holds cp1252 bytes
    assert derive_tweets(ANIES) == ANIES_OUT
    assert derive_tweets(GANJAR) == GANJAR_OUT
    with pytest.raises(ValueError, match="Tweet"):
        derive_tweets(b"date,text\n2023-01-01,halo\n")


def test_the_extra_rule_and_its_upstream_formats():
    assert derive_lines([(STIF_INF, "lines"), (STIF_FOR, "lines")]) == \
        "min paketnya blm sampe\nkak tolong dicek ya\nadmin, paketnya belum sampai\n"
    squad = json.dumps({"data": [{"paragraphs": [{"context": "Candi ini dibangun abad ke-9.", "qas": []}]}]})
    assert list(documents(squad.encode(), "json:context")) == ["Candi ini dibangun abad ke-9."]
    jl = b'{"premise": "Hujan turun sejak pagi."}\n{"premise": "Pasar ramai."}\n'
    assert list(documents(jl, "json:premise")) == ["Hujan turun sejak pagi.", "Pasar ramai."]
    assert list(documents(b"id,text,label\n1,\"enak, murah\",positive\n", "csv:text")) == ["enak, murah"]
    indosum = json.dumps({"paragraphs": [[["Warga", "(", "12", "/", "3", "/", "2024", ")", "berkata", ",", '"',
                                           "harga", "naik", ".", '"']], [["Pasar", "ramai", "\u00a0", "."]]]})
    assert list(documents(indosum.encode(), "indosum")) == ['Warga (12/3 / 2024) berkata, "harga naik." Pasar ramai.']
    assert derive_lines([(indosum.encode(), "indosum")]) == 'Warga (12/3 / 2024) berkata, "harga naik." Pasar ramai.\n'
    assert detokenize(['"', "Ayo", "ke", "TPS", ",", '"', "kata", "dia", "."]) == '"Ayo ke TPS," kata dia.'


def _entry(path, source, repo, derivation, upstream, sha, size=0):
    return {"path": path, "source": source, "sha1": sha, "size": size, "used_by": ["annotations"],
            "repository": repo, "commit": "abc1234", "licence": "MIT", "attribution": f"{source} (test)",
            "derivation": derivation, "upstream": upstream}


@pytest.fixture
def upstream(tmp_path):
    up = tmp_path / "up"
    files = {"IndoNLP/indonlu/abc1234/dataset/casa_absa-prosa/train_preprocess.csv": CASA,
             "ghazafm/tw/abc1234/Datasets/original data/Anies Baswedan.csv": ANIES,
             "ghazafm/tw/abc1234/Datasets/original data/Ganjar Pranowo.csv": GANJAR,
             "haryoa/stif/abc1234/data/labelled/train.inf": STIF_INF,
             "haryoa/stif/abc1234/data/labelled/train.for": STIF_FOR}
    for rel, data in files.items():
        (up / rel).parent.mkdir(parents=True, exist_ok=True)
        (up / rel).write_bytes(data)
    entries = [
        _entry("indonlu/casa_absa-prosa/train_preprocess.csv", "indonlu/casa", "IndoNLP/indonlu", "verbatim",
               [["dataset/casa_absa-prosa/train_preprocess.csv", "verbatim"]], _h(CASA), len(CASA)),
        _entry("pemilu2024_tweets/anies.csv", "pemilu2024_tweets/anies", "ghazafm/tw", "tweets2024",
               [["Datasets/original data/Anies Baswedan.csv", "tweets2024"]], _h(ANIES_OUT), len(ANIES_OUT.encode())),
        _entry("pemilu2024_tweets/ganjar.csv", "pemilu2024_tweets/ganjar", "ghazafm/tw", "tweets2024",
               [["Datasets/original data/Ganjar Pranowo.csv", "tweets2024"]], _h(GANJAR_OUT), len(GANJAR_OUT)),
        _entry("extra/stif_tweets.txt", "extra/stif_tweets", "haryoa/stif", "lines",
               [["data/labelled/train.inf", "lines"], ["data/labelled/train.for", "lines"]], "0" * 40, 999),
        _entry("extra/laws_sample.txt", "extra/laws_sample", "example/laws", "mirror-only", None, "0" * 40, 5),
    ]
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "files": entries}))
    anns = [("c-1", "indonlu/casa", 1, "remnya agak keras"), ("t-1", "pemilu2024_tweets/anies", 1,
            "warung pak min buka, mantap"), ("s-moved", "extra/stif_tweets", 7, "kak tolong dicek ya"),
            ("s-gone", "extra/stif_tweets", 3, "teks yang tidak ada di upstream")]
    annotations = tmp_path / "annotations.jsonl"
    annotations.write_text("".join(json.dumps({"id": i, "source": s, "row": r, "sha1": sha1(t), "split": "dev",
                                               "label": "neutral", "spans": []}) + "\n" for i, s, r, t in anns))
    return {"root": up, "manifest": manifest, "annotations": annotations, "target": tmp_path / "corpora"}


def _fetch(u, url):
    return fetch(u["target"], upstream=url, progress=False, log=lambda _: None, manifest=u["manifest"],
                 annotations=u["annotations"])


def test_upstream_fetch_derives_verifies_and_re_resolves_the_annotations(upstream):
    with serve(upstream["root"]) as (url, _):
        out = _fetch(upstream, url)
    target = upstream["target"]
    assert (target / "indonlu/casa_absa-prosa/train_preprocess.csv").read_bytes() == CASA
    assert (target / "pemilu2024_tweets/anies.csv").read_bytes() == ANIES_OUT.encode()
    assert (target / "pemilu2024_tweets/ganjar.csv").read_bytes() == GANJAR_OUT.encode()
    assert (target / "extra/stif_tweets.txt").read_text() == \
        "min paketnya blm sampe\nkak tolong dicek ya\nadmin, paketnya belum sampai\n"
    assert out["skipped"] == ["extra/laws_sample"] and not (target / ".upstream").exists()
    counts = out["annotations"]
    assert (counts["resolved"], counts["moved"], counts["missing"]) == (2, 1, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        real = load_real("dev", corpora=target, annotations=upstream["annotations"])
    assert {e.id: e.text for e in real} == {"c-1": "remnya agak keras", "t-1": "warung pak min buka, mantap",
                                            "s-moved": "kak tolong dicek ya"}
    assert any("1 annotated texts are missing" in str(w.message) for w in caught)
    rows = status(target, manifest=upstream["manifest"], annotations=upstream["annotations"])
    assert [r["state"] for r in rows[:-1]] == ["verified", "verified", "verified", "rebuilt", "missing"]


def test_a_changed_or_moved_upstream_is_named(upstream):
    bad = upstream["root"] / "ghazafm/tw/abc1234/Datasets/original data/Ganjar Pranowo.csv"
    bad.write_bytes(GANJAR.replace(b"harga cabai", b"harga bawang"))
    (upstream["root"] / "haryoa/stif/abc1234/data/labelled/train.for").unlink()
    with serve(upstream["root"]) as (url, _), pytest.raises(FetchFailed) as info:
        _fetch(upstream, url)
    got = {(e.what.split(" ")[0], e.reason) for e in info.value.errors}
    assert got == {("pemilu2024_tweets/ganjar", "checksum"), ("extra/stif_tweets", "missing")}
    assert "derived from ghazafm/tw@abc1234" in str(info.value)
    assert not (upstream["target"] / "pemilu2024_tweets/ganjar.csv").exists()
    assert (upstream["target"] / "pemilu2024_tweets/anies.csv").is_file()


def test_upstream_urls_pin_the_commit():
    from netral_nlp.corpora.manifest import load_manifest

    e = next(e for e in load_manifest() if e.source == "pemilu2024_tweets/anies")
    (path, _), = e.upstream
    assert e.upstream_urls(path) == [
        "https://raw.githubusercontent.com/ghazafm/twitter-sentiment-analysis/d123ad5/Datasets/original%20data/"
        "Anies%20Baswedan.csv",
        "https://github.com/ghazafm/twitter-sentiment-analysis/raw/d123ad5/Datasets/original%20data/Anies%20Baswedan.csv"]
    assert e.upstream_urls(path, "http://127.0.0.1:1") == [
        "http://127.0.0.1:1/ghazafm/twitter-sentiment-analysis/d123ad5/Datasets/original%20data/Anies%20Baswedan.csv"]


def test_a_404_on_the_raw_host_falls_back_to_the_github_form(upstream, monkeypatch):
    from netral_nlp.corpora import manifest

    root = upstream["root"]
    for rel in ("IndoNLP/indonlu/abc1234/dataset/casa_absa-prosa/train_preprocess.csv",
                "ghazafm/tw/abc1234/Datasets/original data/Anies Baswedan.csv"):  # only in the github.com form
        owner, repo, commit, path = rel.split("/", 3)
        dest = root / "gh" / owner / repo / "raw" / commit / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        (root / rel).rename(dest)
    with serve(root) as (url, handler):
        monkeypatch.setattr(manifest, "RAW_GITHUB", url)
        monkeypatch.setattr(manifest, "GITHUB", url + "/gh")
        out = _fetch(upstream, url)  # ganjar and stif are still on the raw host
    assert out["fetched"] == 4
    assert ("gh/IndoNLP/indonlu/raw/abc1234/dataset/casa_absa-prosa/train_preprocess.csv", 0) in handler.ranges
    assert (upstream["target"] / "indonlu/casa_absa-prosa/train_preprocess.csv").read_bytes() == CASA
    assert (upstream["target"] / "pemilu2024_tweets/anies.csv").read_bytes() == ANIES_OUT.encode()
