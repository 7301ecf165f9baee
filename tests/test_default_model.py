"""The shipped default model loads offline from the package and gets clear cases right."""
import json

import pytest

from netral_nlp import NeutralityClassifier, default_model_path

# Written for this test (not in the corpus); names are invented.
CLEAR_PARTISAN = [
    "Bapak ibu guru sekalian, tanggal 14 nanti jangan lupa coblos nomor 2 ya, demi kesejahteraan kita semua!",
    "Sebagai ASN saya bangga dukung Pak Hendra Saputra jadi presiden, beliau paling peduli sama honorer 🙏",
    "Foto bareng teman kantor abis apel, pose salam dua jari dulu dong #LanjutTerus02 #HEROmenang",
    "Mohon bantuannya share ke grup RT masing-masing ya, ini materi resmi dari tim pemenangan SURLINA.",
]
CLEAR_NEUTRAL = [
    "Pelayanan perekaman KTP elektronik di kantor kecamatan buka mulai jam 8 pagi sampai jam 2 siang.",
    "Posyandu Melati hari Sabtu ini ada imunisasi campak, ibu-ibu mohon bawa buku KIA ya.",
    "Mengingatkan seluruh ASN agar menjaga netralitas, tidak ikut kampanye dan tidak memposting dukungan ke paslon mana pun.",
    "KPU Kabupaten Karangsari menetapkan jadwal pemungutan suara; warga yang belum terdaftar di DPT bisa cek ke PPS.",
]


@pytest.fixture(scope="module")
def clf():
    return NeutralityClassifier.from_pretrained()


def test_loads_without_argument_and_offline(clf):
    d = default_model_path()
    assert (d / "model.safetensors").exists() and (d / "README.md").exists()
    assert not list(d.glob("*.bin"))
    assert json.loads((d / "config.json").read_text())["netral"]["categories"] == clf.categories
    size_mb = (d / "model.safetensors").stat().st_size / 2**20
    assert size_mb <= 60, size_mb  # issue 9: the shipped model stays <= 60 MB on disk


def test_clear_cases(clf):
    preds = clf.predict(CLEAR_PARTISAN + CLEAR_NEUTRAL)
    labels = [p.label for p in preds]
    assert labels == ["partisan"] * len(CLEAR_PARTISAN) + ["neutral"] * len(CLEAR_NEUTRAL), \
        [(p.label, round(p.score, 3), p.text[:40]) for p in preds]
    for p in preds[: len(CLEAR_PARTISAN)]:
        assert p.spans, p.text
        for s in p.spans:
            assert p.text[s.start:s.end] == s.text and s.category in clf.categories


def test_vote_call_span_points_at_the_call(clf):
    p = clf.predict(CLEAR_PARTISAN[0])
    start = CLEAR_PARTISAN[0].index("coblos nomor 2")
    assert any(s.start <= start < s.end for s in p.spans), p.spans
