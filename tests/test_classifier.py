"""End to end: a tiny encoder trained on a synthetic cue-phrase set, saved, reloaded, predicted."""
import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic import CUES, FILLERS

from netral_nlp import NeutralityClassifier, Prediction, Span, evaluate
from netral_nlp.errors import ModelNotAvailableError

pytestmark = pytest.mark.slow


def test_learns_label_and_span(tiny_clf, synthetic_test):
    m = evaluate(tiny_clf, synthetic_test)
    assert m["macro_f1"] >= 0.95
    assert m["span_char_f1_partisan"] >= 0.8
    preds = tiny_clf.predict([e["text"] for e in synthetic_test])
    for ex, p in zip(synthetic_test, preds):
        if ex["label"] == "partisan" and p.label == "partisan":
            g = ex["spans"][0]
            assert any(s.start < g["end"] and s.end > g["start"] for s in p.spans), (ex["text"], p.spans)


def test_single_string_and_list_contract(tiny_clf):
    p = tiny_clf.predict("Ayo coblos nomor dua ya bapak ibu!")
    assert isinstance(p, Prediction)
    assert p.label == "partisan" and 0.0 <= p.score <= 1.0
    assert p.spans and all(isinstance(s, Span) for s in p.spans)
    assert any("coblos" in s.text for s in p.spans)
    texts = ["Rapat dinas jam sembilan.", "Saya dukung pak hendra jadi presiden", "Rapat RT minggu depan."]
    preds = tiny_clf.predict(texts, batch_size=2)
    assert isinstance(preds, list) and len(preds) == 3
    assert [p.text for p in preds] == texts
    assert [p.label for p in preds] == ["neutral", "partisan", "neutral"]
    assert preds[0].spans == []  # neutral texts carry no spans
    d = preds[1].to_dict()
    assert json.loads(json.dumps(d))["spans"][0]["category"] in {c for _, c in CUES}


def test_batch_size_and_order_do_not_change_results(tiny_clf, synthetic_test):
    texts = [e["text"] for e in synthetic_test[:20]]
    a = tiny_clf.predict(texts, batch_size=1)
    b = tiny_clf.predict(texts[::-1], batch_size=7)[::-1]
    for x, y in zip(a, b):
        assert x.label == y.label and x.score == pytest.approx(y.score, abs=1e-4)
        assert [(s.start, s.end) for s in x.spans] == [(s.start, s.end) for s in y.spans]


def test_long_article_windows(tiny_clf):
    """A 20,000-character article: the one partisan sentence near the end is found, offsets exact."""
    body = " ".join(FILLERS * 200)
    body = body[:19_900]
    cue = "saya dukung pak hendra jadi presiden"
    text = body + " " + cue + " ya."
    p = tiny_clf.predict(text)
    assert len(text) > 19_900
    assert p.label == "partisan"
    start = text.index(cue)
    assert any(s.start <= start + 5 and s.end >= start + 10 for s in p.spans), p.spans
    for s in p.spans:
        assert text[s.start:s.end] == s.text
    neutral = tiny_clf.predict(body)
    assert neutral.label == "neutral"


def test_threshold_override(tiny_clf):
    text = "Rapat dinas jam sembilan."
    assert tiny_clf.predict(text).label == "neutral"
    p = tiny_clf.predict(text, threshold=0.0)
    assert p.label == "partisan"


ANY_TEXT = st.lists(
    st.one_of(
        st.text(st.characters(codec="utf-8"), max_size=12),
        st.text(st.sampled_from(list("\r\n\t\u200b\u200d\ufeff\u0301\u0300 🙏🇮🇩✌️ 𝐇𝐞𝐧 ﬁ #@_aeo")), max_size=12),
        st.sampled_from(["ayo coblos nomor dua", " #LanjutTerus02 ", "yg", "bangeeet", "https://x.id/a ",
                         "saya dukung pak hendra jadi presiden"]),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(st.lists(ANY_TEXT, min_size=1, max_size=4))
def test_spans_always_valid(tiny_clf, texts):
    # threshold 0 labels everything partisan, so every text goes through span decoding
    for t, p in zip(texts, tiny_clf.predict(texts, threshold=0.0)):
        assert p.text == t
        for s in p.spans:
            assert 0 <= s.start < s.end <= len(t)
            assert t[s.start:s.end] == s.text
            assert s.text == s.text.strip()
            assert 0.0 <= s.score <= 1.0


def test_special_inputs(tiny_clf):
    long_word = "x" * 25_000
    crlf = "Ayo coblos nomor dua\r\nya\r\n"
    for t in ["", "   \n\t", "\u200b\u200b", long_word, crlf, "🙏" * 50, "e\u0301" * 30]:
        p = tiny_clf.predict(t)
        for s in p.spans:
            assert t[s.start:s.end] == s.text
    assert tiny_clf.predict("").label == "neutral"
    assert tiny_clf.predict("").score == 0.0
    assert tiny_clf.predict("   \n").spans == []


@pytest.mark.parametrize("bad", [None, 3, 4.5, b"bytes", {"text": "x"}])
def test_bad_input_types(tiny_clf, bad):
    with pytest.raises(TypeError):
        tiny_clf.predict(bad)
    with pytest.raises(TypeError, match="#1"):
        tiny_clf.predict(["ok", bad])


def test_saved_directory_layout(tiny_model_dir):
    names = {p.name for p in tiny_model_dir.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "README.md"} <= names
    assert not any(n.endswith((".bin", ".pt", ".pkl")) for n in names)
    cfg = json.loads((tiny_model_dir / "config.json").read_text())
    net = cfg["netral"]
    assert net["labels"] == ["neutral", "partisan"]
    assert len(net["categories"]) == 7 and net["max_length"] == 64 and net["stride"] == 16
    assert 0.0 < net["threshold"] < 1.0
    assert "normalization" in net
    card = (tiny_model_dir / "README.md").read_text()
    assert "macro-F1" in card


def test_reload_gives_same_predictions(tiny_clf, tiny_model_dir, tmp_path):
    again = NeutralityClassifier.from_pretrained(tiny_model_dir)
    copy = tiny_clf.save_pretrained(tmp_path / "copy")
    third = NeutralityClassifier.from_pretrained(copy)
    text = "Saya dukung pak hendra jadi presiden. Rapat dinas jam sembilan."
    a, b, c = tiny_clf.predict(text), again.predict(text), third.predict(text)
    assert a.score == pytest.approx(b.score, abs=1e-5) == pytest.approx(c.score, abs=1e-5)
    assert a.spans == b.spans == c.spans


def test_refuses_pickle_weights(tiny_model_dir, tmp_path):
    d = tmp_path / "pickled"
    shutil.copytree(tiny_model_dir, d)
    (d / "model.safetensors").unlink()
    (d / "pytorch_model.bin").write_bytes(b"not even a pickle")
    with pytest.raises(ValueError, match="safetensors only"):
        NeutralityClassifier.from_pretrained(d)


def test_base_encoder_is_not_a_netral_model(tiny_encoder):
    with pytest.raises(ValueError, match="not a netral-nlp model"):
        NeutralityClassifier.from_pretrained(tiny_encoder)


def test_unknown_model_offline_fails_clearly(tmp_path):
    with pytest.raises(ModelNotAvailableError, match="locally"):
        NeutralityClassifier.from_pretrained("nobody-here/no-such-model")
    with pytest.raises(ModelNotAvailableError):
        NeutralityClassifier.from_pretrained(tmp_path / "missing")


def test_quantized_model_agrees(tiny_model_dir, tiny_clf, synthetic_test):
    q = NeutralityClassifier.from_pretrained(tiny_model_dir, quantize="torch")
    assert "Quantized" in type(q.model.sequence_head).__name__ or "quantized" in type(q.model.sequence_head).__module__
    texts = [e["text"] for e in synthetic_test[:30]]
    a, b = tiny_clf.predict(texts), q.predict(texts)
    agree = sum(x.label == y.label for x, y in zip(a, b)) / len(texts)
    assert agree >= 0.9


def test_quantize_option_picks_a_backend(monkeypatch):
    import importlib.util

    from netral_nlp.inference.backends import fast_backend

    assert fast_backend(False) is None and fast_backend(None) is None
    assert fast_backend("torch") == "torch" and fast_backend("onnx") == "onnx"
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    assert fast_backend(True) == "torch"  # no ONNX Runtime installed: PyTorch int8
    with pytest.raises(ValueError, match="quantize"):
        fast_backend("int4")
    with pytest.raises(ValueError, match="CPU"):
        NeutralityClassifier.from_pretrained(None, quantize=True, device="cuda")
