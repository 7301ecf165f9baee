"""Calibrated scores: Platt scaling fitted on dev, stored in the model, applied on every path."""
import json
import math

import numpy as np
import pytest

from netral_nlp.evaluation.metrics import expected_calibration_error, label_metrics, precision_at_prevalence
from netral_nlp.inference.aggregate import calibrate
from netral_nlp.settings import NetralSettings
from netral_nlp.training.trainer import fit_calibration


def test_calibrate_is_platt_scaling_and_identity_by_default():
    z = np.array([-3.0, 0.0, 2.5])
    assert calibrate(z, [1.0, 0.0]) == pytest.approx(1 / (1 + np.exp(-z)))
    assert calibrate(z, [2.0, -1.0]) == pytest.approx(1 / (1 + np.exp(-(2 * z - 1))))
    assert np.all(np.diff(calibrate(np.linspace(-5, 5, 11), [0.3, 0.7])) > 0)  # monotone


def test_settings_keep_calibration_and_refuse_a_reversing_one():
    s = NetralSettings.from_dict({"calibration": [0.5, -0.2]})
    assert s.calibration == [0.5, -0.2]
    assert NetralSettings.from_dict({}).calibration == [1.0, 0.0]  # older model directories
    with pytest.raises(ValueError, match="calibration"):
        NetralSettings.from_dict({"calibration": [-1.0, 0.0]})


class _FakeClassifier:
    """score_windows(log_odds=True) returns fixed log-odds, as a trained model would."""

    def __init__(self, z):
        self.z = np.asarray(z, dtype=float)

    def normalizer(self, text):
        return type("N", (), {"text": text})()

    def score_windows(self, texts, log_odds=False, **_):
        return self.z[[int(t) for t in texts]], None


def test_fit_calibration_recovers_an_overconfident_model():
    rng = np.random.default_rng(0)
    z = rng.normal(0, 8, 4000)  # log-odds far too large: saturated scores
    y = (rng.random(4000) < 1 / (1 + np.exp(-(0.25 * z + 0.5)))).astype(int).tolist()
    scale, bias = fit_calibration(_FakeClassifier(z), [str(i) for i in range(len(z))], y)
    assert scale == pytest.approx(0.25, abs=0.05) and bias == pytest.approx(0.5, abs=0.15)
    raw, fitted = 1 / (1 + np.exp(-z)), calibrate(z, [scale, bias])
    assert expected_calibration_error(y, fitted) < 0.03 < expected_calibration_error(y, raw)


def test_fit_calibration_falls_back_to_identity_on_one_class():
    assert fit_calibration(_FakeClassifier([1.0, 2.0, 3.0]), ["0", "1", "2"], [1, 1, 1]) == [1.0, 0.0]


def test_ece_and_precision_at_prevalence():
    assert expected_calibration_error([0, 1, 0, 1], [0.0, 1.0, 0.0, 1.0]) == pytest.approx(0.0)
    assert expected_calibration_error([0, 0, 0, 0], [0.9, 0.9, 0.9, 0.9]) == pytest.approx(0.9)
    assert precision_at_prevalence(0.8, 0.03, 0.01) == pytest.approx(0.008 / (0.008 + 0.0297))
    assert precision_at_prevalence(0.0, 0.0, 0.01) is None
    m = label_metrics([0, 0, 1, 1], [0.1, 0.7, 0.8, 0.2], 0.5)
    assert m["false_positive_rate"] == 0.5 and m["partisan_recall"] == 0.5


@pytest.mark.slow
def test_trained_model_stores_a_calibration_and_predict_applies_it(tiny_model_dir, tiny_clf, synthetic_test):
    stored = json.loads((tiny_model_dir / "config.json").read_text())["netral"]["calibration"]
    assert stored != [1.0, 0.0] and stored[0] > 0  # fitted on the dev set during training
    texts = [e["text"] for e in synthetic_test[:12]]
    z, _ = tiny_clf.score_windows([tiny_clf.normalizer(t).text for t in texts], log_odds=True)
    for zi, p in zip(z, tiny_clf.predict(texts)):
        assert p.score == pytest.approx(1 / (1 + math.exp(-(stored[0] * zi + stored[1]))), abs=1e-5)


def test_calibration_examples_dev_real_keeps_only_real_texts():
    from netral_nlp.data import Example
    from netral_nlp.training.config import TrainConfig
    from netral_nlp.training.trainer import calibration_examples

    written = Example(id="a", text="ayo coblos", label="partisan", spans=[], register="tweet")
    real = Example(id="pemilu2024_tweets/x:1", text="x", label="neutral", spans=[], register="pemilu2024_tweets/x")
    assert calibration_examples([written, real], "dev") == [written, real]
    assert calibration_examples([written, real], "dev-real") == [real]
    with pytest.raises(ValueError, match="no real texts"):
        calibration_examples([written], "dev-real")
    assert TrainConfig.from_dict({"calibrate_on": "dev-real"}).calibrate_on == "dev-real"
    with pytest.raises(ValueError, match="calibrate_on"):
        TrainConfig.from_dict({"calibrate_on": "test"})


def test_train_runs_the_dev_set_through_the_model_once(tiny_encoder, synthetic_train, tmp_path, monkeypatch):
    """Calibration, threshold and dev metrics come from one pass over dev; the metrics written
    are the ones evaluate() gives the saved model."""
    from synthetic import make_examples

    from netral_nlp import NeutralityClassifier, evaluate, train

    dev = make_examples(24, seed=11)
    dev_texts = {e["text"] for e in dev}
    passes = []
    real = NeutralityClassifier.score_windows

    def counting(self, norm_texts, *args, **kwargs):
        if any(self.normalizer(t).text in norm_texts for t in dev_texts):
            passes.append(len(norm_texts))
        return real(self, norm_texts, *args, **kwargs)

    monkeypatch.setattr(NeutralityClassifier, "score_windows", counting)
    result = train(synthetic_train[:64], dev, output_dir=tmp_path / "m", base_model=str(tiny_encoder), epochs=1,
                   batch_size=16, max_length=64, stride=16, progress=False, logging_steps=1000)
    assert passes == [len(dev)]
    monkeypatch.undo()
    again = evaluate(NeutralityClassifier.from_pretrained(tmp_path / "m"), dev)
    for key in ("macro_f1", "roc_auc", "span_char_f1"):
        assert result.dev_metrics[key] == pytest.approx(again[key], abs=1e-6), key
