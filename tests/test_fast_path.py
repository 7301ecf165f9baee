"""The ONNX Runtime path gives the same predictions as the PyTorch model (no timings here)."""
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from netral_nlp.inference.classifier import onnx_classifier  # noqa: E402

pytestmark = pytest.mark.slow


def test_onnx_matches_torch_on_padded_batches(tiny_model_dir, tiny_clf, synthetic_test, tmp_path):
    texts = [e["text"] for e in synthetic_test[:24]] + ["Rapat dinas jam sembilan. " * 40]
    fast = onnx_classifier(tiny_model_dir, quantize=False, cache_dir=tmp_path)
    assert (tmp_path / "model.onnx").exists()
    a, b = tiny_clf.predict(texts, batch_size=8), fast.predict(texts, batch_size=8)  # mixed lengths: padding
    for x, y in zip(a, b):
        assert x.label == y.label and x.score == pytest.approx(y.score, abs=1e-4)
        assert [(s.start, s.end, s.category) for s in x.spans] == [(s.start, s.end, s.category) for s in y.spans]


def test_onnx_int8_runs_and_mostly_agrees(tiny_model_dir, tiny_clf, synthetic_test):
    texts = [e["text"] for e in synthetic_test[:30]]
    fast = onnx_classifier(tiny_model_dir, quantize=True)
    a, b = tiny_clf.predict(texts), fast.predict(texts)
    assert len(b) == len(texts)
    assert sum(x.label == y.label for x, y in zip(a, b)) / len(texts) >= 0.9
    for t, p in zip(texts, b):
        assert all(t[s.start:s.end] == s.text for s in p.spans)


def test_quantize_true_is_onnx_int8_with_a_cache(tiny_model_dir, tiny_clf, synthetic_test, tmp_path, monkeypatch):
    from netral_nlp import NeutralityClassifier
    from netral_nlp.inference.backends import OnnxBackend, default_cache_dir

    monkeypatch.setenv("NETRAL_CACHE", str(tmp_path))
    fast = NeutralityClassifier.from_pretrained(tiny_model_dir, quantize=True, threshold=0.4)
    assert isinstance(fast.backend, OnnxBackend) and fast.threshold == 0.4
    cached = default_cache_dir(tiny_model_dir) / "model-int8.onnx"
    assert cached.is_relative_to(tmp_path) and cached.exists()
    stamp = cached.stat().st_mtime_ns

    def no_torch_model(*_a, **_k):
        raise AssertionError("a cached export must load without building the PyTorch model")

    monkeypatch.setattr("netral_nlp.inference.backends.load_torch_model", no_torch_model)
    again = NeutralityClassifier.from_pretrained(tiny_model_dir, quantize=True)  # reuses the export
    assert isinstance(again.backend, OnnxBackend) and again.name.endswith("[onnx int8]")
    assert cached.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in cached.parent.iterdir()) == ["model-int8.onnx", "model.onnx"]
    texts = [e["text"] for e in synthetic_test[:30]]
    assert [p.score for p in again.predict(texts)] == pytest.approx([p.score for p in fast.predict(texts)])
