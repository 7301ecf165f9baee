"""tools/pretrain_encoder.py: whole-word masking, a checkpoint that resumes exactly (safetensors), the
schedule, the held-out figures, and the whole pipeline (the GPU window's script) on a tiny config on CPU."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

spec = importlib.util.spec_from_file_location(
    "pretrain_encoder", Path(__file__).resolve().parents[1] / "tools" / "pretrain_encoder.py")
pe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pe)


class _Tok:
    mask_token_id, cls_token_id, sep_token_id = 4, 2, 3

    def __len__(self):
        return 50


def test_whole_word_masking_masks_every_piece_of_a_chosen_word():
    rng = np.random.default_rng(0)
    ids = rng.integers(5, 50, size=(64, 30))
    starts = (rng.random((64, 30)) < 0.5).astype(np.int8)
    starts[:, 0] = 1
    inp, labels = pe.mask_batch(ids, starts, _Tok(), rng)
    assert inp.shape == labels.shape == (64, 32)
    assert (inp[:, 0] == 2).all() and (inp[:, -1] == 3).all() and (labels[:, [0, -1]] == -100).all()
    chosen = labels[:, 1:-1] != -100
    word = np.cumsum(starts, axis=1)
    for r in range(64):
        for w in np.unique(word[r]):
            in_word = chosen[r][word[r] == w]
            assert in_word.all() or not in_word.any()  # a word is masked whole or not at all
    assert 0.08 < chosen.mean() < 0.22
    assert (labels[:, 1:-1][chosen] == ids[chosen]).all()
    assert (inp[:, 1:-1][chosen] == 4).mean() > 0.7  # 80% [MASK]
    assert (inp[:, 1:-1][~chosen] == ids[~chosen]).all()


def test_checkpoint_round_trip_restores_model_and_optimizer(tmp_path):
    torch = pytest.importorskip("torch")
    from transformers import BertConfig, BertForMaskedLM

    torch.manual_seed(0)
    model = BertForMaskedLM(BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                       intermediate_size=32, max_position_embeddings=40))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids = torch.randint(5, 50, (4, 12))
    model(input_ids=ids, labels=ids).loss.backward()
    opt.step()
    opt.zero_grad()
    pe.save_checkpoint(tmp_path / "ck", model, opt, {"step": 1, "epoch": 0, "pos": 4, "log": []})
    assert not list((tmp_path / "ck").glob("*.bin")) and not list((tmp_path / "ck").glob("*.pt"))
    loaded = BertForMaskedLM.from_pretrained(tmp_path / "ck")
    opt2 = torch.optim.AdamW(loaded.parameters(), lr=1e-3)
    import json

    state = json.loads((tmp_path / "ck" / "state.json").read_text())
    pe.load_optimizer(opt2, tmp_path / "ck", state["optimizer_scalars"])
    for p1, p2 in zip(model.parameters(), loaded.parameters()):
        assert torch.equal(p1, p2)
        s1, s2 = opt.state[p1], opt2.state[p2]
        assert torch.equal(s1["exp_avg"], s2["exp_avg"]) and torch.equal(s1["exp_avg_sq"], s2["exp_avg_sq"])
        assert float(s1["step"]) == float(s2["step"])
    # one more identical step on both gives identical weights: the run continues exactly
    for m, o in ((model, opt), (loaded, opt2)):
        m.eval()  # no dropout
        m(input_ids=ids, labels=ids).loss.backward()
        o.step()
    for p1, p2 in zip(model.parameters(), loaded.parameters()):
        assert torch.allclose(p1, p2, atol=1e-6)


def _corpora(tmp_path):
    """A corpora folder shaped like ../shared/corpora, with invented text."""
    rng = np.random.default_rng(0)
    words = ["saya", "warga", "desa", "yang", "suka", "makan", "nasi", "goreng", "di", "pasar", "pagi", "hari", "ini",
             "cuaca", "cerah", "sekali", "kami", "pergi", "ke", "sekolah", "bersama", "teman", "baru", "guru",
             "mengajar", "murid", "belajar", "membaca", "buku", "cerita", "rakyat"]
    base = tmp_path / "corpora"
    (base / "extra").mkdir(parents=True)
    lines = [" ".join(rng.choice(words, size=rng.integers(6, 30))) for _ in range(1500)]
    for name in pe.SOURCES:
        if name.startswith("extra/"):
            (base / f"{name}.txt").write_text("\n".join(lines[hash(name) % 7::7]) + "\n", encoding="utf-8")
    return base


def test_tiny_pipeline_trains_checkpoints_resumes_and_reports_heldout(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    import json

    from netral_nlp.data import real as realdata

    corpora = _corpora(tmp_path)
    monkeypatch.setattr(pe, "SOURCES", {k: v for k, v in pe.SOURCES.items() if k.startswith("extra/")})
    empty = tmp_path / "annotations.jsonl"
    empty.write_text("")
    monkeypatch.setattr(realdata, "ANNOTATIONS", empty)
    monkeypatch.setattr(realdata, "read_annotations", lambda path=empty: [])
    work, out = tmp_path / "work", tmp_path / "out"
    args = ["--preset", "tiny", "--workdir", str(work), "--corpora", str(corpora), "--vocab-size", "300",
            "--total-steps", "6", "--warmup", "2", "--heldout-blocks", "8", "--log-every", "2", "--out", str(out),
            "--max-shard", "40KB"]
    pe.main(args + ["--total-steps", "3"])
    state = json.loads((work / "checkpoint" / "state.json").read_text())
    assert state["step"] == 3 and state["tokens_seen"] == 3 * 16 * pe.BLOCK
    ev = state["log"][-1]
    assert ev["masked_tokens"] > 0 and 0 <= ev["heldout_accuracy"] <= 1
    assert ev["heldout_loss"] > 0 and ev["unigram_entropy"] > 0
    shards = list((out / "encoder").glob("*.safetensors"))
    assert len(shards) > 1 and all(p.stat().st_size < 41_000 for p in shards)  # sharded as asked (bf16)
    assert not list(out.rglob("*.bin"))
    assert len(list((out / "encoder").iterdir())) <= 7  # the device tool brings back 8 files at most (log too)
    pe.main(args)  # resumes from the checkpoint and finishes the schedule
    state = json.loads((work / "encoder" / "pretraining.json").read_text())
    assert state["step"] == 6 and [e["step"] for e in state["log"]] == [3, 6]
    from transformers import AutoModel

    enc = AutoModel.from_pretrained(work / "encoder", use_safetensors=True)  # the fine-tuning base
    assert enc.config.model_type == "roberta-prelayernorm"
    import torch

    from_gpu = pe.AutoModelForMaskedLM if hasattr(pe, "AutoModelForMaskedLM") else None
    assert from_gpu is None  # the tool imports transformers lazily
    from transformers import AutoModelForMaskedLM

    brought_back = AutoModelForMaskedLM.from_pretrained(out / "encoder", use_safetensors=True, dtype=torch.float32)
    assert brought_back.config.num_hidden_layers == 1
    # held-out lines are never trained on
    held = set((work / "heldout.txt").read_text().splitlines())
    assert held and not held & set((work / "corpus.txt").read_text().splitlines())


def test_word_vectors_initialise_the_embeddings_rescaled(tmp_path, monkeypatch):
    pytest.importorskip("gensim")
    torch = pytest.importorskip("torch")
    from netral_nlp.data import real as realdata

    monkeypatch.setattr(pe, "SOURCES", {k: v for k, v in pe.SOURCES.items() if k.startswith("extra/")})
    monkeypatch.setattr(realdata, "read_annotations", lambda path=None: [])
    work = tmp_path / "work"
    pe.main(["--preset", "tiny", "--workdir", str(work), "--corpora", str(_corpora(tmp_path)), "--vocab-size", "300",
             "--word-vectors"])
    vec = np.load(work / "w2v.npy")
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(work / "tokenizer")
    assert vec.shape == (len(tok), 32)
    model = pe.new_model(tok, 1, 32, seed=0)
    pe.init_embeddings(model, work / "w2v.npy")
    emb = model.get_input_embeddings().weight.detach().numpy()
    assert abs(float(emb.std()) - model.config.initializer_range) < 0.005  # rescaled to the initialiser's scale
    expected = (vec - vec.mean(0)) / vec.std() * model.config.initializer_range  # the vectors, only rescaled
    assert torch.allclose(torch.from_numpy(emb), torch.from_numpy(expected.astype(np.float32)), atol=1e-5)


def test_schedule_warms_up_holds_and_cools_down():
    a = pe.parse_args(["--lr", "1e-3", "--warmup", "10", "--total-steps", "100", "--cooldown", "0.2"])
    assert pe.lr_at(0, a) == pytest.approx(1e-4)
    assert pe.lr_at(50, a) == pytest.approx(1e-3)  # stable phase: a run can stop and resume here
    assert pe.lr_at(90, a) == pytest.approx(0.5e-3)
    assert pe.lr_at(99, a) < 1e-4
    assert pe.lr_at(50, a, rewarm_from=45) < 1e-3  # re-warm-up after --init with a fresh optimizer
    assert pe.mask_rate(0, a) == pytest.approx(0.3) and pe.mask_rate(10**6, a) == pytest.approx(0.15)


def test_gpu_preset_is_the_larger_encoder_in_bf16():
    a = pe.parse_args(["--preset", "gpu"])
    assert (a.layers, a.hidden, a.device, a.bf16, a.checkpoint_minutes) == (6, 512, "cuda", True, 1.0)
    assert a.max_minutes <= 8 and a.fit_to_time and a.max_shard == "14MB"
    assert pe.parse_args(["--preset", "gpu", "--layers", "4"]).layers == 4  # a flag wins over the preset


def test_model_card_reports_heldout_loss_beside_the_unigram_entropy():
    from netral_nlp.training.card import pretraining_line

    new = {"tokens_seen": 999, "log": [{"step": 5, "tokens_seen": 640, "heldout_loss": 4.1, "heldout_accuracy": 0.38,
                                         "unigram_entropy": 6.7, "masked_tokens": 10}]}
    line = pretraining_line(new)
    assert "640 tokens seen" in line and "loss 4.10" in line and "entropy of 6.70" in line and "2.60 below" in line
    old = {"step": 3, "log": [{"step": 3, "loss": 6.8}], "heldout": {"heldout_loss": 6.75, "heldout_accuracy": 0.13,
                                                                   "unigram_entropy": 6.97, "tokens_seen": 12}}
    assert "0.22 below" in pretraining_line(old)
    assert "no held-out figure" in pretraining_line({"step": 3, "log": [{"step": 3, "loss": 6.8}]})


def test_the_committed_encoder_in_progress_resumes_and_has_left_the_plateau():
    """models/netral-mlm is what the next session continues with --init: safetensors only, its
    tokenizer beside it, and a log whose last held-out loss is below the unigram entropy."""
    import json

    enc = Path(__file__).resolve().parents[1] / "models" / "netral-mlm"
    config = json.loads((enc / "config.json").read_text())
    state = json.loads((enc / "pretraining.json").read_text())
    assert config["model_type"] == "roberta-prelayernorm"
    assert (enc / "model.safetensors").is_file() and not list(enc.glob("*.bin"))
    vocab = json.loads((enc / "tokenizer.json").read_text())["model"]["vocab"]
    assert len(vocab) == config["vocab_size"]
    last = state["log"][-1]
    assert last["step"] == state["step"] and state["tokens_seen"] >= state["step"] * pe.BLOCK
    assert last["heldout_loss"] < last["unigram_entropy"] - 1.0
