"""Options objects, checked without a model: model settings (strict, versioned), the training
recipe (holds the model settings), batch scoring options (one validation), the BIO tag layout."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from netral_nlp.batch.options import ModelSpec, ScoreOptions
from netral_nlp.labels import CATEGORIES, TagScheme
from netral_nlp.settings import FORMAT_VERSION, NetralSettings
from netral_nlp.training.config import PATH_KEYS, SETTINGS_KEYS, TrainConfig, read_recipe

ROOT = Path(__file__).resolve().parents[1]


def test_settings_round_trip_and_the_shipped_model_loads():
    s = NetralSettings(threshold=0.7, max_length=128, stride=32, span_merge_gap=5)
    assert NetralSettings.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    shipped = json.loads((ROOT / "models" / "netral-mini" / "config.json").read_text())["netral"]
    assert NetralSettings.from_dict(shipped).span_merge_gap == shipped["span_merge_gap"]


def test_settings_from_an_older_directory_load_with_defaults():
    s = NetralSettings.from_dict({"labels": ["neutral", "partisan"], "categories": list(CATEGORIES),
                                  "threshold": 0.6})
    assert s.threshold == 0.6 and s.span_merge_gap == 0 and s.format_version == FORMAT_VERSION


@pytest.mark.parametrize("change, message", [
    ({"treshold": 0.5}, "unknown key"),
    ({"normalization": {"slang": True, "emoji_magic": True}}, "unknown normalization"),
    ({"format_version": FORMAT_VERSION + 1}, "newer netral-nlp"),
    ({"format_version": "1"}, "format_version"),
    ({"tags": ["O", "B-vote_call"]}, "do not match"),
    ({"labels": ["no", "yes"]}, "unsupported labels"),
    ({"threshold": 1.5}, "threshold must be between 0 and 1"),
])
def test_settings_refuse_what_they_do_not_understand(change, message):
    d = {**NetralSettings().to_dict(), **change}
    with pytest.raises(ValueError, match=message):
        NetralSettings.from_dict(d)


def test_train_config_holds_the_model_settings():
    cfg = TrainConfig.from_dict({"epochs": 2, "max_length": 64, "stride": 16, "span_threshold": 0.3,
                                 "normalization": {"slang": False}, "threshold": 0.8})
    assert cfg.epochs == 2 and cfg.threshold == 0.8  # the fixed decision threshold is a training choice
    assert (cfg.settings.max_length, cfg.settings.stride, cfg.settings.span_threshold) == (64, 16, 0.3)
    assert cfg.settings.normalization.slang is False
    again = TrainConfig.from_dict(json.loads(json.dumps(cfg.to_dict())))
    assert again == cfg
    nested = TrainConfig.from_dict({"settings": {"max_length": 64}, "stride": 8})
    assert (nested.settings.max_length, nested.settings.stride) == (64, 8)
    with pytest.raises(ValueError, match="unknown training options"):
        TrainConfig.from_dict({"epocs": 2})
    with pytest.raises(ValueError, match="unknown training options"):
        TrainConfig.from_dict({"settings": {"labels": ["a", "b"]}})


def test_the_shipped_recipe_reads():
    recipe = read_recipe(ROOT / "models" / "netral-mini.toml")
    cfg = TrainConfig.from_dict(recipe)
    for key, value in recipe.items():
        if key in SETTINGS_KEYS and key != "normalization":
            assert getattr(cfg.settings, key) == value, key  # model settings land in cfg.settings
        elif key not in (*PATH_KEYS, "scratch", "normalization", "settings"):
            assert getattr(cfg, key) == value, key
    assert (cfg.scratch is None) == (not recipe.get("scratch"))


def test_score_options_validate_once_and_sort_keywords():
    opts = ScoreOptions.build(batch_size=8, model="some/dir", quantize=True, num_threads=1)
    assert opts.batch_size == 8 and opts.model == ModelSpec("some/dir", quantize=True, num_threads=1)
    assert ScoreOptions.build(opts, chunk_size=3).model == opts.model
    for bad, message in [({"batch_size": 0}, "batch size"), ({"chunk_size": 0}, "chunk size"),
                         ({"threshold": 1.5}, "threshold"), ({"max_chars": 0}, "max chars"),
                         ({"id_column": "label"}, "output column"), ({"num_threads": 0}, "threads")]:
        with pytest.raises(ValueError, match=message):
            ScoreOptions.build(**bad)
    with pytest.raises(TypeError, match="unexpected scoring option"):
        ScoreOptions.build(chunksize=10)


@pytest.mark.parametrize("bad, message", [
    ({"batch_size": 2.5}, r"batch_size\) must be an integer >= 1"),
    ({"max_length": 0}, "max_length must be an integer >= 3"),
    ({"stride": -1}, "stride must be an integer >= 0"),
    ({"max_length": 64, "stride": 64}, "stride must be smaller than max_length"),
    ({"threshold": -0.1}, "threshold must be a number between 0 and 1"),
])
def test_score_options_name_the_field_and_its_range(bad, message):
    with pytest.raises(ValueError, match=message):
        ScoreOptions.build(**bad)


@pytest.mark.parametrize("bad, message", [
    ({"threshold": 1.7}, "threshold must be a number between 0 and 1, got 1.7"),
    ({"threshold": "0.5"}, "threshold must be a number between 0 and 1"),
    ({"max_length": 2}, "max_length must be an integer >= 3, got 2"),
    ({"stride": -4}, "stride must be an integer >= 0, got -4"),
    ({"max_length": 32, "stride": 40}, "stride must be smaller than max_length"),
])
def test_loading_overrides_are_refused_before_the_model_is_looked_up(bad, message, tmp_path):
    """The directory does not exist: the override error comes first, so nothing was loaded."""
    pytest.importorskip("torch")  # the classifier module imports torch; the torch-free smoke run skips this
    from netral_nlp.inference.classifier import NeutralityClassifier

    with pytest.raises(ValueError, match=message):
        NeutralityClassifier.from_pretrained(tmp_path / "no-such-model", **bad)


@pytest.mark.parametrize("bad, message", [
    ({"calibrate_on": "test"}, r"calibrate_on must be one of \('dev', 'dev-real'\), got 'test'"),
    ({"epochs": -1}, "epochs must be a number >= 0"),
    ({"batch_size": 0}, "batch_size must be an integer >= 1, got 0"),
    ({"batch_size": 8.0}, "batch_size must be an integer"),
    ({"learning_rate": -1e-4}, "learning_rate must be a number >= 0"),
    ({"head_learning_rate": -1e-5}, r"head_learning_rate must be a number > 0.0 \(or None\)"),
    ({"dropout": 1.5}, "dropout must be a number between 0.0 and 1.0"),
    ({"obfuscate": -0.2}, "obfuscate must be a number between 0.0 and 1.0"),
    ({"threshold": 2}, r"threshold must be a number between 0.0 and 1.0 \(or None\)"),
    ({"max_steps": -2}, "max_steps must be an integer >= -1"),
    ({"mlm_probability": 1.2}, "mlm_probability must be a number between"),
    ({"real_negatives": {"indonlu/smsa": -5}}, "real_negatives must map a corpus name to a count >= 0"),
])
def test_train_config_refuses_a_bad_value_at_construction(bad, message):
    with pytest.raises(ValueError, match=f"TrainConfig.{message}"):
        TrainConfig(**bad)
    with pytest.raises(ValueError, match=message):  # a recipe goes through the same check
        TrainConfig.from_dict(bad)


def test_tag_scheme_is_the_one_layout():
    scheme = TagScheme(("a", "b"))
    assert scheme.tags == ["O", "B-a", "I-a", "B-b", "I-b"] and len(scheme) == 5
    assert [scheme.begin(1), scheme.inside(1)] == [3, 4]
    probs = np.arange(10, dtype=float).reshape(2, 5)
    outside, begin, inside = scheme.split(probs)
    assert outside.tolist() == [0, 5] and begin.tolist() == [[1, 3], [6, 8]] and inside.tolist() == [[2, 4], [7, 9]]
