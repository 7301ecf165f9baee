"""Renaming real contestants in training texts (names must not decide the label)."""
import random
import re

from netral_nlp.data import Example, GoldSpan
from netral_nlp.training.augment import augment
from netral_nlp.training.contestants import PARTIES, PEOPLE, has_contestant, rename_contestants


def _ex(text, spans=()):
    return Example(id="t", text=text, label="partisan" if spans else "neutral",
                   spans=[GoldSpan(text.index(q), text.index(q) + len(q), c) for q, c in spans], register="tweet")


def _real_forms(text):
    forms = [f for person in PEOPLE for f in person if len(f) > 3] + [p for p in PARTIES if len(p) > 3]
    return [f for f in forms if re.search(r"(?<![^\W_])" + re.escape(f) + r"(?![^\W\d_])", text, re.I)]


def test_every_mention_is_replaced_and_spans_follow():
    ex = _ex("Ayo coblos nomor 2, Pak Hendrik Prabowo Subianto pasti menang! Prabowo hebat #prabowogibran",
             [("coblos nomor 2", "vote_call"), ("Prabowo hebat", "endorsement")])
    out = rename_contestants(ex, random.Random(1))
    assert out.text != ex.text and not _real_forms(out.text)
    assert "Hendrik" in out.text  # not a contestant: untouched
    assert [s.category for s in out.spans] == ["vote_call", "endorsement"]
    assert out.text[out.spans[0].start:out.spans[0].end].startswith("coblos nomor ")
    assert out.text[out.spans[0].start:out.spans[0].end] != "coblos nomor 2"  # the ballot number too
    assert out.text[out.spans[1].start:out.spans[1].end].endswith(" hebat")
    tag = re.search(r"#(\S+)", out.text).group(1)
    assert " " not in tag and "prabowo" not in tag.lower()


def test_the_same_person_gets_the_same_new_name_and_case_is_kept():
    out = rename_contestants(_ex("anies bilang ini. ANIES lagi. Anies Baswedan menjawab"), random.Random(3))
    words = out.text.split()
    assert words[0].islower() and words[3].isupper() and words[0].upper() == words[3].rstrip(".")
    assert words[5] == words[0].capitalize()  # first name, then a different surname
    assert words[6] != words[5] and words[6][0].isupper()


def test_everyday_words_are_not_names():
    for text in ("kata sandi saya lupa, tolong bantu", "semoga lancar, amin", "pantai indah dan panen raya",
                 "harga 2 kg beras naik", "skor 3.5 dari 5"):
        assert rename_contestants(_ex(text), random.Random(0)).text == text
        assert not has_contestant(text) or text.startswith("kata sandi")


def test_augment_adds_renamed_copies_with_valid_spans():
    exs = [_ex(f"dukung ganjar pranowo nomor 3 ya {i}", [("dukung ganjar pranowo", "endorsement")]) for i in range(20)]
    exs += [_ex("kamar bersih wifi lambat")]
    new = augment(exs, seed=0, n_swaps=0, n_slang=0, n_inserts=0, n_rename=1.0)
    renamed = [e for e in new if e.id.endswith("~renamed")]
    assert len(renamed) == 20
    for e in renamed:
        assert "ganjar" not in e.text and e.label == "partisan"
        (s,) = e.spans
        assert e.text[s.start:s.end].startswith("dukung ") and not e.text[s.start:s.end].endswith(" ")
    assert len({e.text.split()[1] for e in renamed}) > 10  # many different invented names
