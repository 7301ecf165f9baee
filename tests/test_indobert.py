"""The IndoBERT path, offline: each family member built as the Hub gives it (its own tokenizer files and
config, 2 layers, random weights; see ``hub_shaped.py``) and a SentencePiece (XLM-R style) encoder go
through what a user runs: ``netral train --base-model DIR`` -> ``netral evaluate`` -> ``from_pretrained``
-> ``predict`` -> ``netral score`` (fp32 and ``--fast``), on texts that real posts contain.

The models are not trained to be accurate (one epoch on a slice of the corpus); the checks are about
offsets, windows, tokenizers, configs and the export, which must hold whatever the weights.
Skips where ``../shared/corpora`` (the tokenizer files) is absent; CI has it.
"""
from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hub_shaped import (
    EXPECTED_SIZES,
    FAMILIES,
    INDOBERT,
    SENTENCEPIECE,
    SPM_SOURCES,
    build_encoder,
    tokenizer_root,
)

from netral_nlp.data.real import CorporaMissing, corpora_dir

try:
    CORPORA = corpora_dir()
    if not tokenizer_root(CORPORA).is_dir():
        raise CorporaMissing(f"no {tokenizer_root(CORPORA)}")
except CorporaMissing as err:
    pytest.skip(f"{err}: the IndoBERT tokenizer files are not here", allow_module_level=True)

pytestmark = pytest.mark.slow
MAX_LENGTH_ASKED = 600  # more than any encoder here has positions for: training must clamp it
TRIGGER = "Ayo coblos nomor 2 #MenangBersama"
FILLER = "Rapat koordinasi dinas pendidikan dimulai jam sembilan pagi di aula kantor bupati. "
AWKWARD = [
    "PILIH Nomor 2!!! Bapak Ibu GURU wajib DuKuNg PaK hEnDrA",  # mixed and random case
    "Café Zoë, naïve résumé: Pak Hendra pasti menang di Kabupaten Bône",  # precomposed accents
    "Jose\u0301 dan Zoe\u0308 hadir di deklarasi relawan",  # combining accents (decomposed)
    "Ayo😀coblos🙏🏽 nomor 2 🇮🇩🔥🔥🔥 ✌️ 2️⃣",  # emoji, glued to words, skin tone, flags, keycap
    "co\u200bblos no\u200dmor\u2060 2 \ufeffpilih\u00ad dia",  # zero-width and soft hyphen inside words
    "ﷺ 𝐩𝐢𝐥𝐢𝐡 ꧁paslon꧂ 〄 ⍟ ḁ ǅ ꙮ",  # characters the vocabularies lack ([UNK])
    "cooooobloooos nomoooor duaaaa yaaa!!! mantaaaap",  # elongated words
    "cek https://example.com/kampanye?id=2&x=y dan @Hendra_Saputra #LanjutTerus02 www.contoh.go.id",
    "\t\n  spasi   ganda\u00a0dan\u3000lebar  \n",
    "中文 한국어 العربية pilih nomor 2",  # other scripts
    "x" * 300 + " pilih",  # a word far over WordPiece's 100 characters
]
LONG = (FILLER * 70 + " ".join(AWKWARD) + " " + FILLER * 70 + TRIGGER)  # ~2,000 tokens, trigger at the end


# ----------------------------------------------------------------------------- fixtures
def _slice(split: str, n_each: int) -> list[dict]:
    from netral_nlp.data import packaged_corpus

    rows = [e.to_dict() for e in packaged_corpus(split)]
    return [r for r in rows if r["label"] == "partisan"][:n_each] + [r for r in rows if r["label"] == "neutral"][:n_each]


def _long_example() -> dict:
    """Neutral articles joined past 512 tokens, one gold span at the very end: windows in training."""
    from netral_nlp.data import packaged_corpus

    arts = [e.text for e in packaged_corpus("train") if e.register == "article" and e.label == "neutral"]
    assert len(arts) >= 6
    text = "\n\n".join(arts[:6]) + "\n\n" + TRIGGER + "!"
    start = text.rindex(TRIGGER)
    return {"id": "long-1", "text": text, "label": "partisan", "register": "article",
            "spans": [{"start": start, "end": start + len(TRIGGER), "category": "vote_call"}]}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> dict[str, Path]:
    from netral_nlp import write_jsonl

    d = tmp_path_factory.mktemp("data")
    write_jsonl(_slice("train", 40) + [_long_example()], d / "train.jsonl")
    write_jsonl(_slice("dev", 16), d / "dev.jsonl")
    return {"train": d / "train.jsonl", "dev": d / "dev.jsonl", "dir": d}


@pytest.fixture(scope="module", params=FAMILIES)
def family(request, tmp_path_factory, data):
    """(name, base encoder directory, model directory trained from it by ``netral train``)."""
    from netral_nlp.cli import main

    name = request.param
    missing = [rel for rel, _ in SPM_SOURCES if not (CORPORA / rel).exists()] if name == SENTENCEPIECE else []
    if missing:
        pytest.skip(f"the SentencePiece training text is missing: {missing}")
    base = build_encoder(CORPORA, name, tmp_path_factory.mktemp(name) / "base")
    out = base.parent / "model"
    rc = main(["train", "--base-model", str(base), "--train", str(data["train"]), "--dev", str(data["dev"]),
               "-o", str(out), "--epochs", "1", "--batch-size", "16", "--max-length", str(MAX_LENGTH_ASKED),
               "--stride", "128", "--quiet"])
    assert rc == 0
    return name, base, out


@pytest.fixture(scope="module")
def clf(family):
    from netral_nlp import NeutralityClassifier

    return NeutralityClassifier.from_pretrained(family[2])


# ----------------------------------------------------------------------------- helpers
def _word(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def check_spans(text: str, spans, categories) -> None:
    """Every span a valid, trimmed, whole-word substring of the input; sorted, not overlapping."""
    end = 0
    for s in spans:
        assert 0 <= s.start < s.end <= len(text), (s, len(text))
        assert text[s.start:s.end] == s.text
        assert s.start >= end, "spans overlap or are out of order"
        end = s.end
        assert not s.text[0].isspace() and not s.text[-1].isspace(), repr(s.text)
        assert s.start == 0 or not (_word(text[s.start - 1]) and _word(text[s.start])), "span starts mid-word"
        assert s.end == len(text) or not (_word(text[s.end - 1]) and _word(text[s.end])), "span ends mid-word"
        assert s.category in categories and 0.0 <= s.score <= 1.0


def _with_span_threshold(clf, value: float):
    clf.settings.span_threshold = value
    return clf


# ----------------------------------------------------------------------------- tests
def test_directories_are_hub_shaped(family):
    """The base directory is what from_pretrained would get from the Hub: the published tokenizer
    (AutoTokenizer, fast, uncased with accents stripped) and the published sizes."""
    from transformers import AutoConfig, AutoTokenizer

    name, base, _ = family
    tok = AutoTokenizer.from_pretrained(base)
    cfg = AutoConfig.from_pretrained(base)
    assert tok.is_fast and cfg.num_hidden_layers == 2
    if name in INDOBERT:
        assert (len(tok), cfg.vocab_size) == EXPECTED_SIZES[name]
        assert cfg.max_position_embeddings == 512 and cfg.type_vocab_size == 2
        assert "token_type_ids" in tok("a")
        assert tok.tokenize("CAFÉ Zoë") == tok.tokenize("cafe zoe")  # do_lower_case strips accents
        assert tok.convert_ids_to_tokens(tok("😀")["input_ids"])[1] == tok.unk_token
    else:
        assert (base / "sentencepiece.bpe.model").exists() and (base / "tokenizer.json").exists()
        assert cfg.vocab_size == len(tok) and cfg.max_position_embeddings == 514 and tok.pad_token_id == 1
        assert "token_type_ids" not in tok("a")
        # another tokenizer family: a Unigram model, pieces with the word marker, offsets into the text
        assert cfg.model_type == "xlm-roberta" and type(tok.backend_tokenizer.model).__name__ == "Unigram"
        text = "Bapak ibu, pilih nomor dua"
        enc = tok(text, return_offsets_mapping=True, add_special_tokens=False)
        assert any(p.startswith("\u2581") for p in tok.convert_ids_to_tokens(enc["input_ids"]))
        assert all(0 <= a <= b <= len(text) for a, b in enc["offset_mapping"])
    if name == "indobert-lite-base-p1":
        assert cfg.model_type == "albert" and cfg.embedding_size == 128 != cfg.hidden_size


def test_train_clamps_windows_and_keeps_the_tokenizer(family):
    """Windows are clamped to what the encoder has positions for (512 tokens; XLM-R's 514 positions
    start after the padding index), and the saved tokenizer encodes exactly as the base one."""
    from transformers import AutoConfig, AutoTokenizer

    from netral_nlp.inference.hub import load_config, load_tokenizer

    _, base, out = family
    config, settings = load_config(out)
    assert settings.max_length == 512 and settings.stride == 128
    assert config.vocab_size == AutoConfig.from_pretrained(base).vocab_size
    training = json.loads((out / "training.json").read_text())
    assert training["train_windows"] > training["train_examples"]  # the long example took several windows
    mine, theirs = load_tokenizer(out), AutoTokenizer.from_pretrained(base)
    for text in [*AWKWARD, LONG]:
        a = mine(text, return_offsets_mapping=True)
        b = theirs(text, return_offsets_mapping=True)
        assert a["input_ids"] == b["input_ids"] and a["offset_mapping"] == b["offset_mapping"]


def test_evaluate_command(family, data, capsys):
    from netral_nlp.cli import main

    out = family[2]
    metrics_path = data["dir"] / f"metrics-{family[0]}.json"
    assert main(["evaluate", "--model", str(out), "--data", str(data["dev"]), "--output", str(metrics_path)]) == 0
    assert "macro_f1" in capsys.readouterr().out
    m = json.loads(metrics_path.read_text())
    assert m["n"] == 32 and m["n_partisan"] == 16 and 0.0 <= m["macro_f1"] <= 1.0
    assert 0.0 <= m["span_char_f1"] <= 1.0


def test_long_texts_are_read_to_the_end(family, clf):
    """Every token of a ~2,000-token text is in some window of at most 512 tokens, the last window
    ends on the text's last token, and the document score is the maximum over windows."""
    from netral_nlp.inference.backends import forward_windows
    from netral_nlp.inference.windows import window_texts
    from netral_nlp.labels import PARTISAN

    s = clf.settings
    norm = clf.normalizer(LONG).text
    windows = window_texts(clf.tokenizer, [norm], s.max_length, s.stride)
    full = clf.tokenizer(norm, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    assert len(full) > 3 * 512 and len(windows) >= 4
    assert all(len(w) <= 512 for w in windows)
    seen = {tuple(o) for w in windows for o, sp in zip(w.offsets, w.special) if not sp}
    assert seen == {tuple(o) for o in full}
    last = [o for o, sp in zip(windows[-1].offsets, windows[-1].special) if not sp][-1]
    assert tuple(last) == tuple(full[-1]) and norm[last[0]:last[1]].lower() in TRIGGER.lower()
    z, _ = clf.score_windows([norm], log_odds=True)
    per_window, _ = forward_windows(clf.backend, windows, clf.tokenizer.pad_token_id or 0, 8,
                                    s.labels.index(PARTISAN))
    assert z[0] == pytest.approx(per_window.max())


def test_spans_are_valid_substrings_of_awkward_inputs(family, clf):
    """At every span threshold, spans are valid whole-word substrings of the user's text; with every
    token marked (threshold 0) they cover every letter and digit, to the end of the long text."""
    texts = [*AWKWARD, LONG]
    try:
        _, token_probs = clf.score_windows([clf.normalizer(t).text for t in texts])
        member = np.concatenate([1.0 - p[:, 0] for _, p in token_probs])
        previous = first = None  # the characters covered at the lower threshold before / at 0, per text
        for thr in (0.0, float(np.quantile(member, 0.3)), float(np.median(member)), float(np.quantile(member, 0.7))):
            preds = _with_span_threshold(clf, thr).predict(texts, threshold=0.0, batch_size=4)
            assert [p.text for p in preds] == texts and all(p.label == "partisan" for p in preds)
            covered = []
            for t, p in zip(texts, preds):
                check_spans(t, p.spans, clf.categories)
                covered.append({i for sp in p.spans for i in range(sp.start, sp.end)})
                if thr == 0.0:
                    missed = [(i, ch) for i, ch in enumerate(t) if ch.isalnum() and i not in covered[-1]]
                    assert not missed, (t[:60], missed[:5])
            if previous is None:
                first = covered
            else:  # a higher threshold only drops characters from the spans
                assert all(now <= before for now, before in zip(covered, previous))
            previous = covered
        # 30% of the tokens sit below the last threshold: some characters must have left the spans
        assert sum(map(len, covered)) < sum(map(len, first))
    finally:
        _with_span_threshold(clf, 0.5)
    assert clf.predict("\u200b\u200d\ufeff").spans == [] and clf.predict("").score == 0.0


def test_words_written_against_emoji_are_not_unknown(clf):
    """IndoBERT's vocabulary has no emoji: without the normaliser's emoji spacing, "coblos🔥" and
    "pilih✌️dia" would each be one [UNK] and the model would never see the words."""
    text = "Ayo😀coblos🙏🏽 nomor 2, mantap👍 pilih✌️dia #Menang🔥"
    assert clf.settings.normalization.emoji_spacing
    norm = clf.normalizer(text).text
    enc = clf.tokenizer(norm, add_special_tokens=False, return_offsets_mapping=True)
    unknown = [norm[a:b] for i, (a, b) in zip(enc["input_ids"], enc["offset_mapping"]) if i == clf.tokenizer.unk_token_id]
    assert not [u for u in unknown if any(ch.isalpha() for ch in u)], unknown


def test_max_length_over_the_positions_is_refused(family):
    from netral_nlp import NeutralityClassifier

    with pytest.raises(ValueError, match="max_length 513 is more than the 512 tokens"):
        NeutralityClassifier.from_pretrained(family[2], max_length=513)


def test_onnx_export_matches_torch(family, clf, tmp_path):
    """The exported graph (fused where ONNX Runtime can) takes the inputs this tokenizer gives
    (token_type_ids or not) and gives the PyTorch model's scores and token probabilities."""
    from netral_nlp.inference.classifier import onnx_classifier

    fast = onnx_classifier(family[2], quantize=False, cache_dir=tmp_path)
    names = {i.name for i in fast.backend.session.get_inputs()}
    assert ("token_type_ids" in names) == (family[0] != SENTENCEPIECE)
    norms = [clf.normalizer(t).text for t in [*AWKWARD, LONG]]
    a_scores, a_tokens = clf.score_windows(norms, batch_size=4)
    b_scores, b_tokens = fast.score_windows(norms, batch_size=4)
    np.testing.assert_allclose(a_scores, b_scores, atol=1e-4)
    for (ao, ap), (bo, bp) in zip(a_tokens, b_tokens):
        assert np.array_equal(ao, bo)
        np.testing.assert_allclose(ap, bp, atol=1e-4)


def test_score_command_fp32_and_fast(family, tmp_path):
    from netral_nlp.cli import main
    from netral_nlp.inference.backends import default_cache_dir

    out = family[2]
    texts = [*AWKWARD, LONG]
    src = tmp_path / "posts.csv"
    with open(src, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        w.writerows([[f"p{i}", t] for i, t in enumerate(texts)])
    rows = {}
    for flag in ([], ["--fast"]):
        dst = tmp_path / f"scored{len(flag)}.jsonl"
        assert main(["score", str(src), "-o", str(dst), "--model", str(out), "--threshold", "0", "--quiet", *flag]) == 0
        rows[bool(flag)] = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
        assert [r["id"] for r in rows[bool(flag)]] == [f"p{i}" for i in range(len(texts))]
        for t, r in zip(texts, rows[bool(flag)]):
            assert not r["error"] and r["label"] == "partisan"
            spans = r["spans"] if isinstance(r["spans"], list) else json.loads(r["spans"])
            for sp in spans:
                assert t[sp["start"]:sp["end"]] == sp["text"]
    assert (default_cache_dir(out) / "model-int8.onnx").exists()  # --fast ran ONNX Runtime int8
    np.testing.assert_allclose([r["score"] for r in rows[True]], [r["score"] for r in rows[False]], atol=0.05)
