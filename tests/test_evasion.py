"""Evasion (issue 10): the normaliser undoes obfuscations with an exact offset map, and the seeded
obfuscations of netral_nlp.obfuscate move gold spans with the text. Fast: no model, no training."""
from __future__ import annotations

import random
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netral_nlp.data import Example, GoldSpan, packaged_corpus
from netral_nlp.normalize import (
    EVASION_STEPS,
    NormalizationConfig,
    Normalizer,
    lexicon,
    load_slang_tsv,
    normalize,
)
from netral_nlp.obfuscate import (
    KINDS,
    apply_edits,
    obfuscate,
    obfuscate_example,
    obfuscate_text,
    obfuscation_edits,
)

OLD = NormalizationConfig.without_evasion()

# project-style sentences made of common words (no invented names), partisan and neutral
SENTENCES = [
    "Ayo coblos nomor 2 tanggal 14 Februari, pilih pemimpin yang sudah terbukti!",
    "Saya dukung calon bupati nomor urut 1, jangan pilih yang lain ya.",
    "Besok kita semua datang ke TPS, jangan golput. Salam dua jari ✌️",
    "Bapak ibu guru sekalian, mari kita jaga netralitas ASN dalam pemilu ini.",
    "Warga desa diminta hadir di balai desa pukul 10.30 untuk sosialisasi pemilu.",
    "Kampanye akbar hari ini sangat ramai, semua relawan datang membawa bendera partai.",
    "Pilih yang sudah bekerja untuk rakyat, bukan yang cuma bisa janji!",
    "Harga beras naik lagi, kapan turun? Semoga pemerintah segera bertindak.",
]
WORDY = re.findall(r"\w+", "coblos pilih nomor dukung calon bupati presiden jangan golput ayo kita semua warga "
                   "desa kampanye relawan partai suara pemilu netral guru sekolah rakyat kerja terbukti janji "
                   "lanjutkan menang")
NUMBERS = ["nomor 2", "14 Februari 2024", "Rp 5.000", "Rp5.000", "pukul 10.30", "2024", "P3K", "5km", "10rb",
           "covid19", "2x", "H-1", "ibu2", "S.H.", "a.n.", "no. 2", "3 orang", "No.2", "RT 05/RW 03",
           "tgl 14/2", "50k", "Rp 1,5 juta", "1.250 suara", "NIP 19850101", "G20", "4G", "5G", "MP3", "B3",
           "5ribu", "9kali", "1detik", "5jam", "4WD", "GP15", "T470", "CAC40", "US$", "#RushMoney2511"]
GESTURES = "☝️ ✌️ 👌 🤟"


def key(text: str) -> str:
    """Case and spacing do not matter to the (uncased) model."""
    return " ".join(text.lower().split())


def check_map(n, original: str) -> None:
    assert len(n.starts) == len(n.ends) == len(n.text)
    for a, b in zip(n.starts, n.ends):
        assert 0 <= a <= b <= len(original)
    assert n.starts == sorted(n.starts) and n.ends == sorted(n.ends)


# --------------------------------------------------------------------------- offset map properties

WORDS = st.sampled_from(WORDY + ["Pak", "Hendra", "2", "02", "14", "Februari", "2024", "Rp", "5.000", "10.30", "!",
                                 "?", ".", ",", "#LanjutTerus02", "@HendraSaputra", "https://t.co/x", "☝️", "✌️",
                                 "yg", "gk", "bangeeet", "ibu2", "P3K", "🇮🇩", "\n"])
TEXTS = st.one_of(
    st.lists(WORDS, max_size=25).map(" ".join),
    st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(list("aeiou 0123456789.-_@$!|"))),
            max_size=80),
)
CHAINS = st.lists(st.sampled_from(KINDS), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, CHAINS, st.integers(0, 10**6), st.floats(0.2, 1.0), st.data())
def test_obfuscated_text_maps_back_exactly(text, kinds, seed, rate, data):
    """Every normalised character of an obfuscated text maps into the obfuscated input, the maps
    are monotonic, and any normalised range maps to a valid original range that covers it."""
    obf = obfuscate_text(text, random.Random(seed), kinds, rate)
    n = normalize(obf)
    check_map(n, obf)
    if n.text:
        x = data.draw(st.integers(0, len(n.text) - 1))
        y = data.draw(st.integers(x + 1, len(n.text)))
        s, e = n.to_original(x, y)
        assert 0 <= s <= e <= len(obf)
        assert s <= n.starts[x] and e >= n.ends[y - 1]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(60)), CHAINS, st.integers(0, 10**6))
def test_gold_spans_survive_the_round_trip_through_the_normaliser(i, kinds, seed):
    """A gold span of an obfuscated example, mapped to the normalised text and back, is a valid
    range of the obfuscated input that still holds the span's letters."""
    ex = PARTISAN[i % len(PARTISAN)]
    obf = obfuscate_example(ex, random.Random(seed), kinds)
    n = normalize(obf.text)
    for g in obf.spans:
        x, y = n.to_normalized(g.start, g.end)
        assert 0 <= x <= y <= len(n.text)
        if not re.search(r"[^\W_]", obf.text[g.start:g.end]):
            continue
        assert y > x, (obf.text, obf.text[g.start:g.end])
        s, e = n.to_original(x, y)
        assert 0 <= s < e <= len(obf.text)
        assert max(s, g.start) < min(e, g.end)  # they overlap


# --------------------------------------------------------------------------- each obfuscation undone

EXACT = ["random_case", "strike", "underline", "keycap", "circled", "homoglyph", "zero_width", "fullwidth",
         "repeat_punct", "dot_joined"]


@pytest.mark.parametrize("kind", EXACT)
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), sentence=st.sampled_from(SENTENCES))
def test_character_level_obfuscations_are_undone_exactly(kind, seed, sentence):
    obf, edits = obfuscate(sentence, kind, random.Random(seed))
    clean = key(normalize(sentence).text)
    got = key(normalize(obf).text)
    if kind == "dot_joined":  # two words joined by one dot stay joined ("kita.semua"); the model splits at "."
        clean, got = clean.replace(".", " "), got.replace(".", " ")
        clean, got = " ".join(clean.split()), " ".join(got.split())
    assert got == clean, (kind, obf)


@pytest.mark.parametrize("kind", ["leet", "spaced", "dotted"])
def test_word_level_obfuscations_are_undone_nearly(kind):
    """Leetspeak and letters spelled out are read back through the lexicon: at least 95% of the
    words of the sentences come back exactly, over 20 seeds."""
    same = total = 0
    for seed in range(20):
        for sentence in SENTENCES:
            obf, _ = obfuscate(sentence, kind, random.Random(seed))
            want = re.findall(r"\w+", normalize(sentence).text.lower())
            got = re.findall(r"\w+", normalize(obf).text.lower())
            same += sum(w in got for w in want)
            total += len(want)
    assert same / total >= 0.95, same / total


@pytest.mark.parametrize("obf, want", [
    ("c0bl0s n0m0r 2", "coblos nomor 2"),
    ("p i l i h  n o  2", "pilih no 2"),
    ("p i l i h n o m o r 2", "pilih nomor 2"),
    ("c.o.b.l.o.s", "coblos"),
    ("p-1-l-1-h", "pilih"),
    ("p_i_l_i_h", "pilih"),
    ("CoBlOs.NoMoR.2", "coblos nomor 2"),
    ("coblos 2\ufe0f\u20e3", "coblos 2"),
    ("coblos ② ⑵ ❷ ➋ ⒉ ⓶", "coblos 2 2 2 2 2 2"),
    ("c\u0336o\u0336b\u0336l\u0336o\u0336s\u0336", "coblos"),
    ("p\u0332i\u0332l\u0332i\u0332h\u0332", "pilih"),
    ("сoblos рilih", "coblos pilih"),  # Cyrillic с, р
    ("ᴄᴏʙʟᴏꜱ", "coblos"),
    ("ｃｏｂｌｏｓ", "coblos"),
    ("co\u200bb\u200dlos", "coblos"),
    ("pilih!!!! ya?!?", "pilih! ya?"),
    ("$uara c@pres p!l!h 4y0", "suara capres pilih ayo"),
    ("c0bl0s02", "coblos 02"),
    ("c0bl0sn0m0r2", "coblos nomor 2"),
    ("b4p4k2", "bapak-bapak"),
    ("#CoBlOsNoMoR2", "#coblos nomor 2"),
    ("#LanjutTerus02", "#lanjut terus 02"),
])
def test_examples_from_the_issue(obf, want):
    assert key(normalize(obf).text) == want


def test_marks_and_keycaps_stay_in_the_range_of_their_character():
    n = normalize("c\u0336o\u0336b\u0336")
    assert n.text == "cob" and [(n.starts[i], n.ends[i]) for i in range(3)] == [(0, 2), (2, 4), (4, 6)]
    n = normalize("no 2\ufe0f\u20e3!")
    assert n.text == "no 2!" and n.to_original(3, 4) == (3, 6)


# --------------------------------------------------------------------------- what must survive


@pytest.mark.parametrize("text", NUMBERS)
def test_real_numbers_and_codes_are_untouched(text):
    for t in (text, f"Ayo hadir {text} ya", f"{text}."):
        assert normalize(t).text == normalize(t, OLD).text


def test_clean_project_texts_change_only_by_punctuation_and_keycaps():
    """On the project's own clean texts the new steps change only repeated punctuation, keycaps,
    a few spaced abbreviations and random-case-looking hashtags."""
    changed = [e.text for e in packaged_corpus("test") if normalize(e.text).text != normalize(e.text, OLD).text]
    assert len(changed) <= 10, changed


def test_campaign_gestures_stay_visible():
    n = normalize(f"Salam {GESTURES} nomor 2")
    for g in GESTURES.split():
        assert g in n.text


def test_non_latin_words_are_not_turned_into_latin():
    assert normalize("сосна и море").text == "сосна и море"  # Russian, all look-alikes but not a lexicon word
    assert normalize("Σήμερα").text == "Σήμερα"


# --------------------------------------------------------------------------- switches and config


def test_old_configs_load_with_the_new_steps_on():
    old_dict = {"enabled": True, "unicode": True, "urls": True, "mentions": True, "hashtags": True,
                "elongation": True, "slang": True}
    cfg = NormalizationConfig.from_dict(old_dict)
    assert all(getattr(cfg, k) for k in EVASION_STEPS)
    assert set(EVASION_STEPS) <= set(cfg.to_dict())
    assert NormalizationConfig.from_dict(cfg.to_dict()) == cfg


@pytest.mark.parametrize("step, text, kept", [
    ("leetspeak", "c0bl0s", "c0bl0s"),
    ("spaced_letters", "p i l i h", "p i l i h"),
    ("keycaps", "2\ufe0f\u20e3", "2\ufe0f\u20e3"),
    ("enclosed", "⑵", "(2)"),
    ("combining", "c\u0336o", "c\u0336o"),
    ("homoglyphs", "сoblos", "сoblos"),
    ("punctuation", "ayo!!!", "ayo!!!"),
    ("random_case", "#CoBlOsNoMoR", "#Co Bl Os No Mo R"),
])
def test_each_step_can_be_switched_off(step, text, kept):
    assert normalize(text, NormalizationConfig(**{step: False})).text == kept
    assert normalize(text).text != kept


def test_extra_words_and_an_informal_dictionary(tmp_path):
    assert normalize("d4rs1m1n").text == "d4rs1m1n"  # a name the lexicon lacks
    assert Normalizer(words=["Darsimin"]).normalize("d4rs1m1n").text == "darsimin"
    tsv = tmp_path / "slang.tsv"
    tsv.write_text("informal\tformal\nbgtt\tbanget\nyg\tyg-ignored\n", encoding="utf-8")
    table = load_slang_tsv(tsv)
    assert table["bgtt"] == "banget"
    n = Normalizer(slang=table)
    assert n.normalize("bgtt yg").text == "banget yang"  # the built-in table wins on "yg"


def test_lexicon_has_the_campaign_words_and_known_codes():
    words = lexicon()
    for w in ("coblos", "pilih", "nomor", "dukung", "kampanye", "prabowo", "anies", "ganjar", "p3k"):
        assert w in words, w
    assert words["dalam"] > words.get("daiam", -1)


# --------------------------------------------------------------------------- obfuscate_example

PARTISAN = [e for e in packaged_corpus("test") if e.label == "partisan" and e.spans][:60]


def _accepted(edits, spans):
    """The edits apply_edits keeps: non-overlapping, not crossing a span boundary."""
    ok = []
    for a, b, r in sorted(edits):
        if ok and a < ok[-1][1]:
            continue
        if any((a < s.start < b) or (a < s.end < b) for s in spans):
            continue
        ok.append((a, b, r))
    return ok


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(range(60)), CHAINS, st.integers(0, 10**6), st.floats(0.3, 1.0))
def test_obfuscate_example_moves_spans_with_the_text(i, kinds, seed, rate):
    """Kind after kind, each gold span is the previous span with the edits inside it applied (an
    insertion at the span's end is inside it, at its start outside); obfuscate_example makes the
    same chain from the same seed."""
    ex = PARTISAN[i % len(PARTISAN)]
    rng = random.Random(seed)
    cur = ex
    for kind in kinds:
        raw = obfuscation_edits(cur.text, kind, rng, rate)
        edits = _accepted(raw, cur.spans)  # the expectation; apply_edits gets the raw edits
        text, want = cur.text, []
        for g in cur.spans:
            inside = [(a, b, r) for a, b, r in edits if g.start <= a and b <= g.end and not (a == b == g.start)]
            piece, pos = [], g.start
            for a, b, r in inside:
                piece += [text[pos:a], r]
                pos = b
            piece.append(text[pos:g.end])
            want.append("".join(piece))
        nxt = apply_edits(cur, raw)
        assert [nxt.text[g.start:g.end] for g in nxt.spans] == want
        assert [g.category for g in nxt.spans] == [g.category for g in cur.spans]
        cur = nxt
    out = obfuscate_example(ex, random.Random(seed), kinds, rate)
    assert out == cur and out is not ex
    assert ex == PARTISAN[i % len(PARTISAN)]  # the input is not modified


def test_apply_edits_skips_overlapping_and_span_crossing_edits():
    """The filter itself, on hand-made edits: an edit overlapping an earlier one and an edit that
    crosses a span boundary are dropped; edits inside a span or touching its edges are applied."""
    ex = Example(id="e", text="abcdef ghij klmn", label="partisan", spans=[GoldSpan(7, 11, "vote_call")])
    edits = [(8, 10, "XY Z"),  # inside the span: applied, the span grows
             (9, 10, "!"),     # overlaps the edit before: dropped
             (5, 9, "#"),      # crosses the span's start: dropped
             (0, 1, "AA"),     # before the span: applied, the span moves
             (11, 12, "_"),    # starts at the span's end: applied, the span stays put
             (14, 16, "")]     # after the span: applied
    out = apply_edits(ex, edits)
    assert out.text == "AAbcdef gXY Zj_kl"
    assert [out.text[g.start:g.end] for g in out.spans] == ["gXY Zj"]
    assert apply_edits(ex, [(5, 9, "#")]) is ex  # nothing applicable: the example comes back


def test_obfuscate_example_keeps_label_only_examples_and_checks_kinds():
    ex = Example(id="x", text="Ayo coblos nomor 2", label="partisan", spans=None)
    out = obfuscate_example(ex, random.Random(1), ["leet", "keycap"])
    assert out.spans is None and out.text != ex.text
    with pytest.raises(ValueError, match="unknown obfuscation"):
        obfuscate_example(ex, random.Random(1), ["rot13"])


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_changes_a_typical_post_and_is_seeded(kind):
    text = "Ayo coblos nomor 2 tanggal 14 ya!! Pak Hendra pasti menang."
    a = obfuscate(text, kind, random.Random(5))
    assert a == obfuscate(text, kind, random.Random(5))
    assert a[0] != text
    ex = Example(id="y", text=text, label="partisan", spans=[GoldSpan(4, 18, "vote_call")])
    out = obfuscate_example(ex, random.Random(5), kind)
    assert out.text == a[0]
