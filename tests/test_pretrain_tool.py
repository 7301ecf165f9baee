"""tools/pretrain_encoder.py: whole-word masking, and a checkpoint that resumes exactly (safetensors)."""
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
    pe._save_checkpoint(tmp_path / "ck", model, opt, {"step": 1, "epoch": 0, "pos": 4, "log": []})
    assert not list((tmp_path / "ck").glob("*.bin")) and not list((tmp_path / "ck").glob("*.pt"))
    loaded = BertForMaskedLM.from_pretrained(tmp_path / "ck")
    opt2 = torch.optim.AdamW(loaded.parameters(), lr=1e-3)
    import json

    state = json.loads((tmp_path / "ck" / "state.json").read_text())
    pe._load_optimizer(opt2, tmp_path / "ck", state["optimizer_scalars"])
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
