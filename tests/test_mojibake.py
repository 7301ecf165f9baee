"""Mojibake repair (issue 20): text that went through the wrong encoding, and emoji written as
escaped UTF-16, is repaired before the other steps, and every repaired character maps back to
exactly the characters it was written as."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netral_nlp.data import packaged_corpus
from netral_nlp.normalize import NormalizationConfig, normalize
from netral_nlp.settings import NetralSettings

OFF = NormalizationConfig(mojibake=False)


def garble(s: str, enc: str = "cp1252", times: int = 1) -> str:
    """``s`` as it reads after its UTF-8 bytes were decoded as ``enc`` (``times`` over)."""
    for _ in range(times):
        s = s.encode("utf-8").decode(enc, errors="replace" if enc == "cp1252" else "strict")
    return s


def escaped(s: str, prefix: str = "%u") -> str:
    units = s.encode("utf-16-be")
    return "".join(f"{prefix}{units[i:i + 2].hex().upper()}" for i in range(0, len(units), 2))


def repaired(text: str) -> list[tuple[str, str]]:
    """(normalised character, the original characters it came from) where they differ."""
    n = normalize(text)
    return [(c, text[a:b]) for c, a, b in zip(n.text, n.starts, n.ends) if text[a:b] != c]


@pytest.mark.parametrize("text, want, pairs", [
    ("Ayo coblos Ã°Å¸â€˜â€¡ nomor 2", "Ayo coblos 👇 nomor 2", [("👇", "Ã°Å¸â€˜â€¡")]),  # emoji, twice garbled
    ("pilih dia ðŸ‘‡", "pilih dia 👇", [("👇", "ðŸ‘‡")]),  # once
    ("Kamu kenapaâ€¦ ayo", "Kamu kenapa... ayo", [(".", "â€¦")] * 3),  # "…" then the punctuation step's "..."
    ("â€œpilih diaâ€\x9d", "“pilih dia”", [("“", "â€œ"), ("”", "â€\x9d")]),
    ("dia‚Äôs pilihan", "dia’s pilihan", [("’", "‚Äô")]),  # MacRoman
    ("ngakak %uD83D%uDE02%uD83D%uDE02", "ngakak 😂😂", [("😂", "%uD83D%uDE02")] * 2),
    ("ngakak \\ud83d\\ude02 ya", "ngakak 😂 ya", [("😂", "\\ud83d\\ude02")]),
    ("kafÃ©Ã¨ desa", "kaféè desa", [("é", "Ã©"), ("è", "Ã¨")]),  # each letter from its own two characters
])
def test_mojibake_is_repaired_with_an_exact_map(text, want, pairs):
    assert normalize(text).text == want
    assert repaired(text) == pairs
    assert normalize(text, OFF).text != want


def test_no_break_space_mojibake():
    n = normalize("harga naikÂ â€¦")
    assert "Â" not in n.text and "â" not in n.text


@pytest.mark.parametrize("text", ["café Sàbado", "“kutip” — tanda…", "«Hai»", "%u tidak", "%uZZZZ",
                                  "lone %uD83D here", "Rp 5.000 – 10.000", "naïve"])
def test_clean_text_is_left_alone(text):
    assert normalize(text).text == normalize(text, OFF).text


def test_project_texts_do_not_change():
    changed = [e.text for split in ("train", "test") for e in packaged_corpus(split)
               if normalize(e.text).text != normalize(e.text, OFF).text]
    assert changed == []


PIECES = st.one_of(
    st.sampled_from(["ayo coblos", " ", "nomor 2", "pilih", "\n", "Â ", "!!", "yg", "#LanjutTerus02", "p.i.l.i.h"]),
    st.text(st.characters(codec="utf-8"), max_size=6),
)


@st.composite
def mojibake_texts(draw):
    out = []
    for piece in draw(st.lists(PIECES, max_size=8)):
        how = draw(st.sampled_from(["plain", "cp1252", "cp1252x2", "latin-1", "mac_roman", "%u", "\\u"]))
        if how == "plain" or not piece:
            out.append(piece)
        elif how in ("%u", "\\u"):
            out.append(escaped(piece, how))
        else:
            try:
                out.append(garble(piece, how.replace("x2", ""), 2 if how.endswith("x2") else 1))
            except UnicodeDecodeError:
                out.append(piece)
    return "".join(out)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mojibake_texts(), st.data())
def test_offset_map_stays_valid(text, data):
    n = normalize(text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    assert all(0 <= a <= b <= len(text) for a, b in zip(n.starts, n.ends))
    assert n.starts == sorted(n.starts) and n.ends == sorted(n.ends)
    for m in re.finditer("coblos", text):  # a plain word next to repaired ones is still where it was
        x, y = n.to_normalized(m.start(), m.end())
        assert "coblos" in n.text[x:y].lower(), (text, n.text)
    if n.text:
        x = data.draw(st.integers(0, len(n.text) - 1))
        y = data.draw(st.integers(x + 1, len(n.text)))
        s, e = n.to_original(x, y)
        assert 0 <= s <= e <= len(text)


def test_old_model_configs_keep_the_step_off_and_new_models_get_it():
    old = NetralSettings().to_dict()
    del old["normalization"]["mojibake"]
    cfg = NetralSettings.from_dict(old).normalization
    assert cfg.mojibake is False and NetralSettings().normalization.mojibake is True
    assert normalize("pilih ðŸ‘‡", cfg).text == "pilih ðŸ‘‡"


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(mojibake_texts(), min_size=1, max_size=4))
def test_spans_of_a_new_model_stay_valid_on_mojibake(tiny_clf, texts):
    assert tiny_clf.settings.normalization.mojibake
    for t, p in zip(texts, tiny_clf.predict(texts, threshold=0.0)):  # threshold 0: every text gets spans
        for s in p.spans:
            assert 0 <= s.start < s.end <= len(t) and t[s.start:s.end] == s.text
