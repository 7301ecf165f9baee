"""The packaged corpus: size, balance, coverage, valid spans, and clean splits."""
import re
from collections import Counter

import pytest

from netral_nlp.data import REGISTERS, near_duplicate_pairs, packaged_corpus
from netral_nlp.labels import CATEGORIES

ELECTION_WORDS = re.compile(
    r"pemilu|pilkada|pilpres|pileg|pilgub|pilbup|pilwalkot|paslon|capres|cawapres|caleg|calon|kampanye|"
    r"\btps\b|\bkpu\b|bawaslu|coblos|nomor urut|netral|golput|partai|suara|pencoblosan|kandidat|debat|"
    r"\bdpt\b|kpps|rekapitulasi|hak pilih|politik",
    re.I,
)


@pytest.fixture(scope="module")
def splits():
    return {name: packaged_corpus(name) for name in ("train", "dev", "test")}


@pytest.fixture(scope="module")
def everything(splits):
    return [e for rows in splits.values() for e in rows]


def test_size_and_balance(everything):
    assert len(everything) >= 2400
    share = sum(e.label == "partisan" for e in everything) / len(everything)
    assert 0.4 <= share <= 0.6


def test_unique_ids_and_texts(everything):
    assert len({e.id for e in everything}) == len(everything)
    assert len({" ".join(e.text.lower().split()) for e in everything}) == len(everything)


def test_spans_valid_and_categories_covered(everything):
    cats = Counter()
    for e in everything:
        if e.label == "partisan":
            assert e.spans, e.id
        else:
            assert e.spans == [], e.id
        for s in e.spans:
            assert 0 <= s.start < s.end <= len(e.text)
            piece = e.text[s.start:s.end]
            assert piece == piece.strip(), (e.id, piece)
            cats[s.category] += 1
    for c in CATEGORIES:
        assert cats[c] >= 150, (c, cats[c])


def test_registers_and_long_articles(everything):
    regs = Counter(e.register for e in everything)
    assert set(regs) <= set(REGISTERS) and all(regs[r] >= 50 for r in REGISTERS)
    articles = [e for e in everything if e.register == "article"]
    assert sum(300 <= len(e.text) <= 3000 for e in articles) >= 0.9 * len(articles)
    long_partisan = [e for e in articles if e.label == "partisan" and len(e.text) >= 1000]
    assert long_partisan, "long partisan articles are needed to exercise windowing"


def test_hard_negatives_are_at_least_a_third_of_neutral(everything):
    neutral = [e for e in everything if e.label == "neutral"]
    hard = [e for e in neutral if ELECTION_WORDS.search(e.text)]
    assert len(hard) >= len(neutral) / 3


def test_no_near_duplicates_across_splits(splits):
    names = list(splits)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            pairs = near_duplicate_pairs([e.text for e in splits[a]], [e.text for e in splits[b]], threshold=0.5)
            assert not pairs, f"{a}/{b}: {[(splits[a][x].id, splits[b][y].id, round(j, 2)) for x, y, j in pairs[:5]]}"


def test_test_split_is_hand_written(splits):
    assert all("~" not in e.id and "+" not in e.id for e in splits["test"])  # no augmented ids
    assert len(splits["test"]) >= 300 and len(splits["dev"]) >= 300
