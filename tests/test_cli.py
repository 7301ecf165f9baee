import json

import pytest
from synthetic import make_examples

from netral_nlp import read_jsonl, write_jsonl
from netral_nlp.cli import main
from netral_nlp.errors import DataError

pytestmark = pytest.mark.slow


def test_train_then_evaluate(tmp_path, tiny_encoder, capsys):
    write_jsonl(make_examples(120, 11), tmp_path / "train.jsonl")
    write_jsonl(make_examples(40, 12), tmp_path / "dev.jsonl")
    rc = main(["train", "--base-model", str(tiny_encoder), "--train", str(tmp_path / "train.jsonl"),
               "--dev", str(tmp_path / "dev.jsonl"), "-o", str(tmp_path / "m"), "--epochs", "2",
               "--max-length", "64", "--stride", "16", "--quiet"])
    assert rc == 0
    assert (tmp_path / "m" / "model.safetensors").exists()
    capsys.readouterr()
    rc = main(["evaluate", "--model", str(tmp_path / "m"), "--data", str(tmp_path / "dev.jsonl"),
               "--output", str(tmp_path / "metrics.json")])
    assert rc == 0
    out = capsys.readouterr().out
    assert "macro_f1" in out and "span_char_f1" in out and "span_iou_f1" in out
    m = json.loads((tmp_path / "metrics.json").read_text())
    assert m["n"] == 40 and 0.0 <= m["macro_f1"] <= 1.0 and m["roc_auc"] is not None


def test_missing_model_is_one_line_exit_2(tmp_path, capsys):
    write_jsonl(make_examples(4, 1), tmp_path / "d.jsonl")
    rc = main(["evaluate", "--model", str(tmp_path / "nope"), "--data", str(tmp_path / "d.jsonl")])
    assert rc == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("netral: error:") and "\n" not in err and "Traceback" not in err


def test_data_validation_names_the_line(tmp_path):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"text": "ok", "label": "neutral"}\n{"text": "abc", "label": "partisan", '
                 '"spans": [{"start": 1, "end": 9, "category": "vote_call"}]}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl:2: span \[1, 9\) is outside"):
        read_jsonl(p)
    p.write_text('{"text": "ok", "label": "maybe"}\n', encoding="utf-8")
    with pytest.raises(DataError, match="label"):
        read_jsonl(p)
