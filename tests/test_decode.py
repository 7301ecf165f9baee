import numpy as np

from netral_nlp.inference.decode import decode_spans, snap
from netral_nlp.labels import CATEGORIES
from netral_nlp.normalize import normalize


def test_snap_extends_to_words_and_trims():
    t = "Ayo coblos nomor dua!!"
    assert snap(t, 5, 13) == (4, 16)  # "oblos no" -> "coblos nomor"
    assert snap(t, 16, 22) == (17, 20)  # " dua!!" -> "dua"
    assert snap("lihat #LanjutTerus02 ya", 7, 12) == (6, 20)  # keeps the hashtag whole


def _probs(n, inside, cat=1):
    k = 1 + 2 * len(CATEGORIES)
    p = np.zeros((n, k), dtype=np.float32)
    p[:, 0] = 1.0
    for j, t in enumerate(inside):
        p[t] = 0
        p[t, (1 if j == 0 else 2) + 2 * cat] = 1.0
    return p


def test_decode_maps_through_normalization():
    text = "ok yg dukung   Pak Hendra!!"
    n = normalize(text)
    words = [(m, m + len(w)) for m, w in _words(n.text)]
    # tokens = words of normalized text; mark "dukung Pak Hendra"
    idx = [k for k, (a, b) in enumerate(words) if n.text[a:b] in ("dukung", "Pak", "Hendra")]
    spans = decode_spans(n, np.array(words), _probs(len(words), idx, cat=0), CATEGORIES)
    assert len(spans) == 1
    s = spans[0]
    assert text[s.start:s.end] == s.text == "dukung   Pak Hendra"
    assert s.category == "endorsement"


def test_category_change_splits_spans():
    text = "coblos nomor dua #LanjutTerus02"
    n = normalize(text)
    words = [(m, m + len(w)) for m, w in _words(n.text)]
    p = _probs(len(words), [0, 1, 2], cat=1)
    p[3:] = _probs(len(words) - 3, list(range(len(words) - 3)), cat=3)
    spans = decode_spans(n, np.array(words), p, CATEGORIES)
    assert [(s.text, s.category) for s in spans] == [("coblos nomor dua", "vote_call"),
                                                       ("#LanjutTerus02", "campaign_symbol")]


def _words(s):
    import re

    return [(m.start(), m.group()) for m in re.finditer(r"[#\w]+", s)]


def test_merge_gap_bridges_pieces_of_one_clause_only():
    text = "saya dukung penuh pak Hendra. Besok rapat dinas"
    n = normalize(text)
    words = [(m, m + len(w)) for m, w in _words(n.text)]
    names = [n.text[a:b] for a, b in words]
    idx = [names.index("dukung"), names.index("Hendra"), names.index("Besok")]
    p = _probs(len(words), [], cat=0)
    for t in idx:  # three separate pieces, each explicitly a new span
        p[t] = 0
        p[t, 1] = 1.0
    apart = decode_spans(n, np.array(words), p, CATEGORIES)
    assert [s.text for s in apart] == ["dukung", "Hendra", "Besok"]
    merged = decode_spans(n, np.array(words), p, CATEGORIES, merge_gap=25)
    # "dukung ... Hendra" merge; the sentence boundary keeps "Besok" apart
    assert [s.text for s in merged] == ["dukung penuh pak Hendra", "Besok"]


def test_flickering_category_inside_one_run_stays_one_span():
    text = "ayo coblos nomor dua pasti menang"
    n = normalize(text)
    words = [(m, m + len(w)) for m, w in _words(n.text)]
    k = 1 + 2 * len(CATEGORIES)
    p = np.zeros((len(words), k), dtype=np.float32)
    # every word is inside a span (I- tags only); the argmax category flips on "dua"
    for t in range(len(words)):
        p[t, 2 + 2 * (0 if t == 3 else 1)] = 1.0  # I-endorsement on "dua", I-vote_call elsewhere
    spans = decode_spans(n, np.array(words), p, CATEGORIES)
    assert [(s.text, s.category) for s in spans] == [(text, "vote_call")]
