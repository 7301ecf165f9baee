"""The project's annotations of real Indonesian texts (../shared/corpora): pointers that resolve,
splits held out by source, no real text committed. Skips where the shared corpora are absent."""
import json
import random
from pathlib import Path

import pytest

from netral_nlp.data import near_duplicate_pairs
from netral_nlp.data.real import ANNOTATIONS, SPLITS, CorporaMissing, corpora_dir, read_annotations
from netral_nlp.labels import PARTISAN

try:
    corpora_dir()
except CorporaMissing as err:
    pytest.skip(f"{err}: the real-text annotations cannot be resolved here", allow_module_level=True)

from netral_nlp.data.real import load_real, unannotated_negatives  # noqa: E402
from netral_nlp.data.sources import load_examples  # noqa: E402


@pytest.fixture(scope="module")
def real():
    return {s: load_real(s) for s in SPLITS}


def test_annotations_are_pointers_not_texts():
    for a in read_annotations():
        assert set(a) <= {"id", "source", "row", "sha1", "split", "label", "spans", "unclear"}
        assert len(a["sha1"]) == 40


def test_every_annotation_resolves_with_valid_spans(real):
    n = sum(len(v) for v in real.values())
    assert n == len(read_annotations()) >= 5000
    for ex in (e for v in real.values() for e in v):
        for s in ex.spans:
            assert 0 <= s.start < s.end <= len(ex.text) and ex.text[s.start:s.end].strip() == ex.text[s.start:s.end]
        assert (ex.label == PARTISAN) == bool(ex.spans)


def test_a_changed_source_text_is_an_error(tmp_path):
    rows = read_annotations()
    rows[0]["sha1"] = "0" * 40
    bad = tmp_path / "a.jsonl"
    bad.write_text("\n".join(json.dumps(r) for r in rows[:3]))
    with pytest.raises(ValueError, match="sha1"):
        load_real(None, annotations=bad)


def test_test_split_is_held_out_by_source_and_free_of_near_duplicates(real):
    by_split = {s: {e.register for e in v} for s, v in real.items()}
    assert not by_split["test"] & (by_split["train"] | by_split["dev"])
    assert sum(e.label == PARTISAN for e in real["test"]) >= 250
    assert sum(e.label != PARTISAN for e in real["test"]) >= 800
    seen = [e.text for e in real["train"] + real["dev"]]
    assert not near_duplicate_pairs([e.text for e in real["test"]], seen)


def test_sources_concatenate_jsonl_and_real_splits(real):
    corpus = Path(__file__).resolve().parents[1] / "netral_nlp" / "data" / "dev.jsonl"
    both = load_examples([str(corpus), "real:dev"])
    assert len(both) == len(load_examples(str(corpus))) + len(real["dev"])
    assert [e.id for e in load_examples("real:dev")] == [e.id for e in real["dev"]]


def test_unannotated_negatives_skip_annotated_rows_and_refuse_test_sources(real):
    neg = unannotated_negatives({"indonlu/casa": 40, "extra/stif_tweets": 40}, seed=1)
    assert len(neg) == 80 and all(e.label == "neutral" and e.spans is None for e in neg)
    annotated = {a["id"] for a in read_annotations()}
    assert not annotated & {e.id for e in neg}
    assert [e.id for e in unannotated_negatives({"indonlu/casa": 40}, seed=1)] == \
        [e.id for e in neg if e.register == "indonlu/casa"]  # seeded
    with pytest.raises(ValueError, match="real-test"):
        unannotated_negatives({"indonlu/emot": 5})


def test_second_pass_agreement_was_measured():
    rounds = [json.loads(p.read_text()) for p in sorted(ANNOTATIONS.parent.glob("agreement*.json"))]
    assert sum(r["double_annotated"] for r in rounds) >= 0.05 * len(read_annotations())  # every round counts
    assert all(0 <= r["cohen_kappa"] <= 1 for r in rounds)


def test_plain_style_keeps_spans_on_the_same_words():
    from netral_nlp.data import Example, GoldSpan
    from netral_nlp.training.augment import plain_style

    rng = random.Random(0)
    for _ in range(50):
        words = [rng.choice(["Ayo", "coblos", "Nomor", "2", "pukul", "10.30", "!!", "#Maju", ",", "ya", "👍"])
                 for _ in range(rng.randint(3, 12))]
        text = " ".join(words)
        k = rng.randrange(len(words))
        start = sum(len(w) + 1 for w in words[:k])
        ex = Example("x", text, "partisan", [GoldSpan(start, start + len(words[k]), "vote_call")])
        out = plain_style(ex)
        assert out is ex or not any(c in out.text for c in "!#,👍")
        s = out.spans[0]
        assert out.text[s.start:s.end] == words[k].lower().lstrip("#") or out is ex
    assert "10.30" in plain_style(Example("y", "Rapat pukul 10.30, ya!", "neutral", [])).text
