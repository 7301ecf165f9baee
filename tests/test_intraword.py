"""Separators inside words (issue 20): dots, hyphens and underscores written inside words to dodge
keyword filters are undone, with random case, and ordinary abbreviations, numbers, dates, addresses
and compounds are left alone. Fast: no model."""
from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netral_nlp.data import Example, GoldSpan
from netral_nlp.normalize import NormalizationConfig, normalize
from netral_nlp.obfuscate import obfuscate, obfuscate_example
from netral_nlp.settings import NetralSettings

OFF = NormalizationConfig(intraword=False)

# invented posts made of common words
POSTS = [
    "Ayo coblos nomor 2 tanggal 14 Februari, pilih pemimpin yang sudah terbukti bekerja!",
    "Saya dukung calon bupati nomor urut 1, jangan pilih yang lain ya bapak ibu.",
    "Besok kita semua datang ke TPS, jangan golput, suara kita menentukan.",
    "Bapak ibu guru sekalian, mari kita jaga netralitas dalam pemilu ini.",
    "Kampanye akbar hari ini sangat ramai, semua relawan datang membawa bendera partai.",
    "Harga beras naik lagi, kapan turun? Semoga pemerintah segera bertindak.",
]


def key(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.mark.parametrize("obf, want", [
    ("PiL.iH nO.mOr 2", "pilih nomor 2"),
    ("pi.lih paslon", "pilih paslon"),
    ("co-bl-os", "coblos"),
    ("ayo dukun_g cap_res kita", "ayo dukung capres kita"),
    ("Ka.MpA-nYe", "kampanye"),
    ("nO.mOr.2", "nomor 2"),
    ("c0.bl0s", "coblos"),  # leetspeak in the pieces: joined here, decoded by the leetspeak step
    ("sat_u s_uara", "satu suara"),  # pieces of one letter next to a space are not a spaced-out run
    ("sa.Ya ca-Pres", "saya capres"),  # a capital inside a word is not a proper noun
    ("pi lih no mor 2", "pilih nomor 2"),  # spaces inside words
    ("PiL iH nO mOr 2", "pilih nomor 2"),
    ("sat u s uara", "satu suara"),
    ("ka mpa nye akbar", "kampanye akbar"),
    ("sa ya du kung pas lon", "saya dukung paslon"),
    ("t api d esa kita", "tapi desa kita"),  # a lone consonant starts a word
])
def test_separated_words_are_joined(obf, want):
    assert key(normalize(obf).text) == want
    assert key(normalize(obf, OFF).text) != want


@pytest.mark.parametrize("obf, want", [("c-o-b-l-o-s", "coblos"), ("p_i_l_i_h", "pilih"),
                                       ("C.o.B.l.O.s No.MoR 2", "coblos nomor 2")])
def test_single_letter_runs_still_joined(obf, want):
    assert key(normalize(obf).text) == want


SPACED_WORDS = ["ke Las", "BI dan", "dan A", "and a", "di pilih", "ibu kota", "ada apa", "#pi lih", "@pi lih",
                "Pak Ari datang", "siapa saja", "Bu Kit", "Jl Merdeka", "kami semua", "ke pala", "di a"]
FALSE_MERGES = SPACED_WORDS + ["No. 2", "No.2", "no.2", "3.5%", "S.Pd.", "A.Md.Kep", "M.Si", "S.Kom.", "14.02.2024", "14-02-2024",
                "Rp5.000", "Rp.5.000", "10.30", "budi.santoso@mail.go.id", "kpu.go.id", "https://kpu.go.id/pi.lih",
                "foto.jpg", "data_pemilu.xlsx", "anak-anak", "kerja-kerja", "terang-terangan", "e-KTP",
                "se-Indonesia", "non-ASN", "tanya-jawab", "H-1", "covid-19", "APBN-P", "Jl.Merdeka", "ke-2",
                "s.d.", "a.n.", "iBu-IbU", "teMAn_temAN", "Se-KabUPATen", "sP.Pd", "#pi.lih", "@pi.lih", "C:\\data\\pi.lih", "/home/pi.lih", "v1.2.3", "2024-2029"]


@pytest.mark.parametrize("text", FALSE_MERGES)
def test_abbreviations_numbers_addresses_and_compounds_are_not_merged(text):
    for t in (text, f"Ayo hadir {text} ya", f"{text}."):
        assert normalize(t).text == normalize(t, OFF).text, t


def test_the_split_space_obfuscation_is_undone_mostly():
    """Spaces inside words are joined more cautiously (two words may be meant): 85% of the words
    come back over 20 seeds (0.92 when written; without the step: 0.16)."""
    rates = []
    for cfg in (None, OFF):
        same = total = 0
        for seed in range(20):
            for post in POSTS:
                obf, _ = obfuscate(post, "split_space", random.Random(seed))
                want = re.findall(r"\w+", normalize(post).text.lower())
                got = re.findall(r"\w+", normalize(obf, cfg).text.lower())
                same += sum(w in got for w in want)
                total += len(want)
        rates.append(same / total)
    assert rates[0] >= 0.85 and rates[1] < 0.4, rates


def test_dropped_separators_keep_an_exact_offset_map():
    text = "ayo PiL.iH nO.mOr.2 ya"
    n = normalize(text)
    assert n.text == "ayo PiLiH nOmOr 2 ya"
    i = n.text.index("PiLiH")
    assert n.to_original(i, i + 5) == (4, 10)  # the whole "PiL.iH", its dot inside
    j = n.text.index("nOmOr 2")
    assert n.to_original(j, j + 7) == (11, 19)
    assert text[slice(*n.to_original(j + 5, j + 6))] == "."  # the space stands for the separator


def test_the_split_obfuscation_is_undone_nearly():
    """At least 90% of the words of the posts come back exactly, over 20 seeds (the step off: far fewer)."""
    rates = []
    for cfg in (None, OFF):
        same = total = 0
        for seed in range(20):
            for post in POSTS:
                obf, _ = obfuscate(post, "split", random.Random(seed))
                want = re.findall(r"\w+", normalize(post).text.lower())
                got = re.findall(r"\w+", normalize(obf, cfg).text.lower())
                same += sum(w in got for w in want)
                total += len(want)
        rates.append(same / total)
    assert rates[0] >= 0.90 and rates[1] < 0.5, rates


def test_split_obfuscation_is_seeded_and_stays_inside_words():
    a = obfuscate(POSTS[0], "split", random.Random(3))
    assert a == obfuscate(POSTS[0], "split", random.Random(3))
    assert re.search(r"[^\W_][._-][^\W_]", a[0])
    assert re.sub(r"[._-]", "", a[0]) == re.sub(r"[._-]", "", POSTS[0])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(POSTS), st.lists(st.sampled_from(["split", "split_space", "random_case", "dotted", "leet"]),
                                        min_size=1,
                                        max_size=3), st.integers(0, 10**6))
def test_spans_stay_valid_under_separators(post, kinds, seed):
    start = post.index("pilih") if "pilih" in post else 0
    ex = Example(id="x", text=post, label="partisan", spans=[GoldSpan(start, start + 5, "vote_call")])
    obf = obfuscate_example(ex, random.Random(seed), kinds)
    n = normalize(obf.text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    assert n.starts == sorted(n.starts) and n.ends == sorted(n.ends)
    assert all(0 <= a <= b <= len(obf.text) for a, b in zip(n.starts, n.ends))
    for g in obf.spans:
        x, y = n.to_normalized(g.start, g.end)
        assert y > x
        s, e = n.to_original(x, y)
        assert 0 <= s < e <= len(obf.text) and max(s, g.start) < min(e, g.end)


def test_old_model_configs_keep_the_step_off_and_new_models_get_it():
    old = NetralSettings().to_dict()
    del old["normalization"]["intraword"]
    assert NetralSettings.from_dict(old).normalization.intraword is False
    assert NetralSettings().normalization.intraword is True
    assert NetralSettings.from_dict(NetralSettings().to_dict()).normalization.intraword is True
    assert normalize("pi.lih", NetralSettings.from_dict(old).normalization).text == "pi.lih"
