"""Masked-LM pretraining of the encoder on real Indonesian: resumable on CPU, and a GPU window.

    python tools/pretrain_encoder.py --workdir runs/pretrain --max-minutes 120           # CPU, continues
    python tools/pretrain_encoder.py --workdir runs/pretrain --init models/netral-mlm    # from the committed one
    python tools/pretrain_encoder.py --preset gpu --workdir runs/pretrain --out $OUT     # a GPU window
    python tools/pretrain_encoder.py --evaluate models/netral-mlm --workdir runs/pretrain

Steps (each skipped when its output exists in ``--workdir``):

1. ``corpus.txt`` and ``heldout.txt``: every real text in the corpora folder (IndoNLU train splits,
   the 2024 election tweets, ``extra/``) except the *real-test sources*, which are left out whole,
   and the real-dev and real-other rows (annotated, or sampled and still being annotated); plus the project's train split. Each text goes through the netral
   normaliser (as fine-tuning and inference see it), lines under 4 words are dropped, exact
   duplicates (case- and space-folded) are dropped, and 1 line in 100 (by sha1) is held out for
   evaluation, never trained on.
2. ``tokenizer/``: WordPiece (``tokenizers``' trainer) of ``--vocab-size`` entries on the corpus
   (8k: chosen by measurement, see ``benchmarks/results/pretraining.json``).
3. ``blocks.npz``: the corpus tokenized and packed into 126-token blocks (word starts kept, for
   whole-word masking); ``[CLS]``/``[SEP]`` make them 128.
4. Training: a pre-LayerNorm encoder (``RobertaPreLayerNorm`` in transformers: a standard
   architecture, loaded without remote code), whole-word masking at a rate that decays from 30% to
   15%, the vocabulary projection on masked positions only, an effective batch of
   ``--micro-batch x --accumulate`` sequences, AdamW (betas 0.9/0.98) at 1e-3 with warm-up and a
   warmup-stable-decay schedule (constant, then a linear cool-down over the last ``--cooldown``
   share of ``--total-steps``), so a run can stop and resume across sessions without restarting
   its schedule. A checkpoint (safetensors weights and optimizer moments, step and data position
   in JSON) is written every ``--checkpoint-minutes`` with the held-out masked-LM loss, masked-token
   accuracy and the unigram entropy of the same masked tokens. Nothing is unpickled.
5. ``encoder/``: the encoder and tokenizer as a Hugging Face directory (``--base-model`` of
   fine-tuning), with ``pretraining.json`` (schedule, tokens seen, held-out figures).

``--init DIR`` starts from a committed encoder (weights and ``pretraining.json``; the optimizer
moments start afresh behind a short re-warm-up), which is how a new session continues a run.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SOURCES = {  # source -> copies (a fraction keeps every k-th text)
    "pemilu2024_tweets/anies": 1, "pemilu2024_tweets/ganjar": 1,
    "indonlu/smsa": 1, "indonlu/casa": 1, "indonlu/nergrit": 1, "indonlu/posp": 1, "indonlu/bapos": 1,
    "indonlu/keps": 1, "indonlu/terma": 1, "indonlu/wrete": 1, "indonlu/facqa": 1,
    "extra/stif_tweets": 1, "extra/indosum_dev": 1, "extra/idkmrc_contexts": 1, "extra/indonli_premises": 1,
    "extra/ud_indonesian": 1, "extra/nusax_ind": 1, "extra/laws_sample": 0.25, "extra/react_docs_id": 0.5,
    "extra/debian_handbook_id": 0.5, "extra/gnome_help_id": 0.5, "extra/kicad_doc_id": 0.5,
}
BLOCK = 128
HELDOUT_MOD = 100  # 1 line in 100 held out
DEFAULTS = {"layers": 4, "hidden": 256, "micro_batch": 64, "accumulate": 2, "checkpoint_minutes": 10.0,
            "max_minutes": 60.0, "device": "cpu", "bf16": False, "total_steps": 8000, "warmup": 300,
            "fit_to_time": False, "max_shard": None}
PRESETS = {  # what each preset changes; an explicit flag wins over both
    "cpu": {},
    "gpu": {"layers": 6, "hidden": 512, "micro_batch": 256, "accumulate": 1, "checkpoint_minutes": 1.0,
            "max_minutes": 7.0, "device": "cuda", "bf16": True, "total_steps": 100000, "warmup": 300,
            "fit_to_time": True, "max_shard": "14MB"},
    "tiny": {"layers": 1, "hidden": 32, "micro_batch": 8, "accumulate": 2, "checkpoint_minutes": 60.0},
}


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def is_heldout(line: str) -> bool:
    return int(_sha1(line)[:8], 16) % HELDOUT_MOD == 0


def build_corpus(work: Path, corpora=None) -> None:
    """``corpus.txt`` (trained on) and ``heldout.txt`` (never trained on) from the corpora folder."""
    from netral_nlp.data import read_jsonl
    from netral_nlp.data.real import iter_source, read_annotations
    from netral_nlp.normalize import Normalizer

    anns = read_annotations()
    test_sources = {a["source"] for a in anns if a["split"] == "test"}
    dev_hashes = {a["sha1"] for a in anns if a["split"] in ("dev", "other")}
    for pending in sorted((ROOT / "runs" / "annot").glob("more_*.jsonl")):  # items still being annotated
        for line in pending.read_text(encoding="utf-8").splitlines():
            x = json.loads(line)
            if x.get("split") in ("dev", "other"):
                dev_hashes.add(_sha1(x["text"]))
    norm = Normalizer()
    seen: set[str] = set()
    stats: dict = {"left_out_sources": sorted(test_sources)}
    texts_by_source = {s: list(iter_source(s, corpora)) for s in SOURCES if s not in test_sources}
    texts_by_source["project/train"] = [e.text for e in read_jsonl(ROOT / "netral_nlp/data/train.jsonl")]
    with open(work / "corpus.txt", "w", encoding="utf-8") as f, open(work / "heldout.txt", "w", encoding="utf-8") as h:
        for source, texts in texts_by_source.items():
            weight = SOURCES.get(source, 1)
            if weight < 1:
                texts = texts[:: round(1 / weight)]
            kept = held = 0
            for t in texts:
                if _sha1(t) in dev_hashes:
                    continue
                line = " ".join(norm(t).text.split())
                key = line.lower()
                if len(line.split()) < 4 or key in seen:
                    continue
                seen.add(key)
                if is_heldout(key):
                    h.write(line + "\n")
                    held += 1
                else:
                    f.write(line + "\n")
                    kept += 1
            stats[source] = {"lines": kept, "heldout_lines": held}
    (work / "corpus_stats.json").write_text(json.dumps(stats, indent=1))
    print(json.dumps(stats), flush=True)


def build_tokenizer(corpus: Path, out: Path, vocab_size: int):
    """WordPiece trained by ``tokenizers`` on the (already normalised) corpus, in the layout of the
    project's BERT tokenizers (lower-cased, BERT pre-tokenizer, [CLS] x [SEP])."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    from netral_nlp.training.tokenizers import BASE_CHARS, SPECIAL

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=True,
                                                lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=2, special_tokens=SPECIAL,
                                        initial_alphabet=list(BASE_CHARS), limit_alphabet=400)
    tok.train([str(corpus)], trainer)
    vocab = tok.get_vocab()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tok.decoder = decoders.WordPiece(prefix="##")
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, model_max_length=512, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    fast.save_pretrained(out)
    return fast


def pack(lines: list[str], tok, block: int = BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Token ids and word-start flags of ``lines``, one [SEP] between lines, cut into
    ``block - 2`` token rows."""
    ids: list[int] = []
    starts: list[int] = []
    sep = tok.sep_token_id
    for i in range(0, len(lines), 2000):
        enc = tok(lines[i:i + 2000], add_special_tokens=False)
        for k, row in enumerate(enc["input_ids"]):
            wids = enc.word_ids(k)
            ids.extend(row)
            starts.extend(int(j == 0 or wids[j] != wids[j - 1]) for j in range(len(row)))
            ids.append(sep)
            starts.append(1)
    n = len(ids) // (block - 2)
    dtype = np.int16 if len(tok) < 32768 else np.int32
    arr = np.asarray(ids[: n * (block - 2)], dtype=dtype).reshape(n, block - 2)
    st = np.asarray(starts[: n * (block - 2)], dtype=np.int8).reshape(n, block - 2)
    return arr, st


def build_blocks(work: Path, tok) -> None:
    lines = (work / "corpus.txt").read_text(encoding="utf-8").splitlines()
    random.Random(0).shuffle(lines)  # mix registers before packing
    ids, starts = pack(lines, tok)
    counts = np.bincount(ids.ravel().astype(np.int64), minlength=len(tok))
    np.savez(work / "blocks.npz", ids=ids, starts=starts, unigram=counts)
    print(f"{ids.size:,} tokens in {len(ids):,} blocks of {BLOCK}", flush=True)


def mask_batch(ids: np.ndarray, starts: np.ndarray, tok, rng: np.random.Generator, p: float = 0.15):
    """Whole-word masking: pick words with probability ``p``; 80% [MASK], 10% random, 10% kept.
    Targets are taken before replacement; [CLS]/[SEP] are added around and never targets."""
    b, n = ids.shape
    word = np.cumsum(starts, axis=1)  # word index per token within the row
    pick_word = rng.random((b, n + 1)) < p
    chosen = np.take_along_axis(pick_word, word, axis=1)
    labels = np.where(chosen, ids, -100)
    r = rng.random((b, n))
    inp = ids.copy()
    inp[chosen & (r < 0.8)] = tok.mask_token_id
    rand = chosen & (r >= 0.8) & (r < 0.9)
    inp[rand] = rng.integers(5, len(tok), size=int(rand.sum()))
    cls = np.full((b, 1), tok.cls_token_id)
    sep = np.full((b, 1), tok.sep_token_id)
    ign = np.full((b, 1), -100)
    return np.hstack([cls, inp, sep]), np.hstack([ign, labels, ign])


def new_model(tok, layers: int, hidden: int, seed: int):
    import torch
    from transformers import RobertaPreLayerNormConfig, RobertaPreLayerNormForMaskedLM

    torch.manual_seed(seed)
    config = RobertaPreLayerNormConfig(
        vocab_size=len(tok), hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=max(1, hidden // 64),
        intermediate_size=4 * hidden, max_position_embeddings=512 + tok.pad_token_id + 1, type_vocab_size=1,
        pad_token_id=tok.pad_token_id, bos_token_id=tok.cls_token_id, eos_token_id=tok.sep_token_id)
    return RobertaPreLayerNormForMaskedLM(config)


def masked_loss(model, inp, labels):
    """Cross-entropy over masked positions only (the vocabulary projection is applied to them
    alone); returns (loss, number right, number of targets)."""
    import torch

    hidden = model.base_model(input_ids=inp).last_hidden_state
    picked = labels != -100
    logits = model.lm_head(hidden[picked]).float()
    target = labels[picked]
    loss = torch.nn.functional.cross_entropy(logits, target)
    return loss, int((logits.argmax(-1) == target).sum()), int(target.numel())


class HeldOut:
    """A fixed masked sample of ``heldout.txt`` (15% whole-word masking, seeded): masked-LM loss,
    masked-token accuracy, and the unigram entropy of the same masked tokens (what a model that
    ignores context reaches at best) plus their cross-entropy under the training unigram."""

    def __init__(self, work: Path, tok, max_blocks: int = 512, unigram: np.ndarray | None = None):
        lines = (work / "heldout.txt").read_text(encoding="utf-8").splitlines()
        ids, starts = pack(lines, tok)
        ids, starts = ids[:max_blocks].astype(np.int64), starts[:max_blocks]
        self.inp, self.labels = mask_batch(ids, starts, tok, np.random.default_rng(1234), p=0.15)
        targets = self.labels[self.labels != -100]
        freq = np.bincount(targets, minlength=len(tok)).astype(np.float64)
        prob = freq[freq > 0] / freq.sum()
        self.entropy = float(-(prob * np.log(prob)).sum())
        self.unigram_xent = None
        if unigram is not None:
            q = (unigram.astype(np.float64) + 1) / (unigram.sum() + len(unigram))
            self.unigram_xent = float(-np.log(q[targets]).mean())
        self.n_targets = int(targets.size)

    def __call__(self, model, device="cpu", batch: int = 64) -> dict:
        import torch

        was = model.training
        model.eval()
        tot = right = n = 0
        with torch.no_grad():
            for i in range(0, len(self.inp), batch):
                inp = torch.from_numpy(self.inp[i:i + batch]).to(device)
                lab = torch.from_numpy(self.labels[i:i + batch]).to(device)
                loss, r, k = masked_loss(model, inp, lab)
                tot += float(loss) * k
                right += r
                n += k
        model.train(was)
        out = {"heldout_loss": round(tot / n, 4), "heldout_accuracy": round(right / n, 4),
               "unigram_entropy": round(self.entropy, 4), "masked_tokens": n}
        if self.unigram_xent is not None:
            out["unigram_cross_entropy"] = round(self.unigram_xent, 4)
        return out


def lr_at(step: int, a, rewarm_from: int | None = None) -> float:
    """Warm-up, constant, then a linear cool-down over the last ``a.cooldown`` of the steps; after a
    resume without optimizer moments, a short re-warm-up from ``rewarm_from``."""
    lr = a.lr * min(1.0, (step + 1) / a.warmup)
    decay_start = int(a.total_steps * (1 - a.cooldown))
    if step >= decay_start:
        lr *= max(0.0, (a.total_steps - step) / max(1, a.total_steps - decay_start))
    if rewarm_from is not None and step - rewarm_from < a.rewarm:
        lr *= (step - rewarm_from + 1) / a.rewarm
    return lr


def mask_rate(step: int, a) -> float:
    return max(a.mask_end, a.mask_start - (a.mask_start - a.mask_end) * step / max(1, a.mask_decay_steps))


def save_weights(model, out: Path, max_shard: str | None = None, bf16: bool = False) -> None:
    """safetensors weights (shards of at most ``max_shard``; in bfloat16 with ``bf16``, half the
    bytes, for what a GPU window brings back)."""
    out.mkdir(parents=True, exist_ok=True)
    kwargs = {"max_shard_size": max_shard} if max_shard else {}
    if bf16:
        import torch

        kwargs["state_dict"] = {k: v.detach().to(torch.bfloat16).cpu() for k, v in model.state_dict().items()}
    model.save_pretrained(out, safe_serialization=True, **kwargs)


def save_checkpoint(ckpt: Path, model, opt, state: dict, max_shard: str | None = None) -> None:
    """Weights (safetensors), optimizer moments (safetensors, keyed by parameter position) and
    ``state.json``, written beside and then swapped in, so a kill mid-write loses nothing."""
    import shutil

    from safetensors.torch import save_file

    tmp = ckpt.with_name(ckpt.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    save_weights(model, tmp, max_shard)
    tensors, meta = {}, {}
    params = [p for g in opt.param_groups for p in g["params"]]
    for i, p_ in enumerate(params):
        for k, v in opt.state.get(p_, {}).items():
            if hasattr(v, "dim") and v.dim() > 0:
                tensors[f"{i}.{k}"] = v.detach().cpu().contiguous()
            else:
                meta[f"{i}.{k}"] = float(v)
    save_file(tensors, tmp / "optimizer.safetensors")
    (tmp / "state.json").write_text(json.dumps({**state, "optimizer_scalars": meta}, indent=1))
    old = ckpt.with_name(ckpt.name + ".old")
    if ckpt.exists():
        ckpt.rename(old)
    tmp.rename(ckpt)
    shutil.rmtree(old, ignore_errors=True)


def load_optimizer(opt, ckpt: Path, scalars: dict) -> None:
    import torch
    from safetensors.torch import load_file

    tensors = load_file(ckpt / "optimizer.safetensors")
    params = [p for g in opt.param_groups for p in g["params"]]
    for i, p_ in enumerate(params):
        st = {k.split(".", 1)[1]: v.to(p_.device) for k, v in tensors.items() if k.split(".", 1)[0] == str(i)}
        st.update({k.split(".", 1)[1]: torch.tensor(v) for k, v in scalars.items() if k.split(".", 1)[0] == str(i)})
        if st:
            opt.state[p_] = st


def _optimizer(model, a):
    import torch

    no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight", "LayerNorm.bias")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not n.endswith(no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if n.endswith(no_decay)], "weight_decay": 0.0},
    ]
    extra = {"fused": True} if a.device.startswith("cuda") else {}
    return torch.optim.AdamW(groups, lr=a.lr, betas=(0.9, 0.98), eps=1e-6, **extra)


def train(a) -> dict:
    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    torch.set_num_threads(a.threads)
    work = Path(a.workdir)
    tok = AutoTokenizer.from_pretrained(work / "tokenizer")
    data = np.load(work / "blocks.npz")
    ids, starts = data["ids"], data["starts"]
    heldout = HeldOut(work, tok, unigram=data["unigram"], max_blocks=a.heldout_blocks)
    ckpt = work / "checkpoint"
    rewarm_from = None
    if ckpt.exists():
        model = AutoModelForMaskedLM.from_pretrained(ckpt, use_safetensors=True, dtype=torch.float32)
        state = json.loads((ckpt / "state.json").read_text())
    elif a.init:
        model = AutoModelForMaskedLM.from_pretrained(a.init, use_safetensors=True, dtype=torch.float32)
        state = json.loads((Path(a.init) / "pretraining.json").read_text())
        state.pop("heldout", None)
        rewarm_from = state["step"]
    else:
        model = new_model(tok, a.layers, a.hidden, a.seed)
        if a.embeddings_from:
            init_embeddings(model, Path(a.embeddings_from))
        state = {"step": 0, "epoch": 0, "pos": 0, "tokens_seen": 0, "log": [], "elapsed_total_s": 0.0}
    state["recipe"] = {k: getattr(a, k) for k in ("lr", "warmup", "total_steps", "cooldown", "micro_batch",
                                                  "accumulate", "mask_start", "mask_end", "mask_decay_steps")}
    device = torch.device(a.device)
    model.to(device).train()
    opt = _optimizer(model, a)
    if ckpt.exists():
        load_optimizer(opt, ckpt, state.pop("optimizer_scalars", {}))
        rewarm_from = state.get("rewarm_from")
    state.pop("optimizer_scalars", None)
    state["rewarm_from"] = rewarm_from
    amp = torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=a.bf16)
    started = last_ckpt = time.time()
    first_step = state["step"]
    losses: list[float] = []
    n = len(ids)
    per_step = a.micro_batch * a.accumulate

    def checkpoint(final: bool = False) -> None:
        nonlocal last_ckpt
        now = time.time()
        state["elapsed_total_s"] = round(state.get("elapsed_total_s", 0) + (now - last_ckpt), 1)
        last_ckpt = now
        ev = heldout(model, device)
        state["log"].append({"step": state["step"], "tokens_seen": state["tokens_seen"], **ev})
        save_checkpoint(ckpt, model, opt, state)
        if a.out:  # weights (bf16 shards), config and log only: the tokenizer is the one carried there
            save_weights(model, Path(a.out) / "encoder", a.max_shard, bf16=True)
            (Path(a.out) / "encoder" / "pretraining.json").write_text(json.dumps(state, indent=1))
        print(json.dumps({"checkpoint": state["step"], **ev}), flush=True)

    while state["step"] < a.total_steps:
        order = np.random.default_rng(a.seed + state["epoch"]).permutation(n)
        while state["pos"] + per_step <= n and state["step"] < a.total_steps:
            step = state["step"]
            rng = np.random.default_rng([a.seed, step])
            p = mask_rate(step, a)
            for g in opt.param_groups:
                g["lr"] = lr_at(step, a, rewarm_from)
            for k in range(a.accumulate):
                sel = order[state["pos"] + k * a.micro_batch: state["pos"] + (k + 1) * a.micro_batch]
                sel = np.sort(sel)
                inp, labels = mask_batch(ids[sel].astype(np.int64), starts[sel], tok, rng, p)
                inp_t = torch.from_numpy(inp).to(device, non_blocking=True)
                lab_t = torch.from_numpy(labels).to(device, non_blocking=True)
                with amp:
                    loss, _, _ = masked_loss(model, inp_t, lab_t)
                (loss / a.accumulate).backward()
                losses.append(float(loss.detach()))
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)
            state["step"] += 1
            state["pos"] += per_step
            if a.fit_to_time and state["step"] == first_step + 20:
                per = (time.time() - started) / 20
                fits = state["step"] + int((a.max_minutes * 60 - (time.time() - started)) / per * 0.95)
                a.total_steps = min(a.total_steps, fits)
                state["recipe"]["total_steps"] = a.total_steps
                print(json.dumps({"seconds_per_step": round(per, 4), "total_steps": a.total_steps}), flush=True)
            state["tokens_seen"] += per_step * BLOCK
            if state["step"] % a.log_every == 0:
                entry = {"step": state["step"], "train_loss": round(float(np.mean(losses)), 4),
                         "lr": round(lr_at(step, a, rewarm_from), 6), "mask": round(p, 3),
                         "tokens_seen": state["tokens_seen"], "elapsed_s": round(time.time() - started, 1)}
                losses = []
                print(json.dumps(entry), flush=True)
            now = time.time()
            out_of_time = now - started > a.max_minutes * 60
            if out_of_time or now - last_ckpt > a.checkpoint_minutes * 60:
                checkpoint()
            if out_of_time:
                export(model, tok, work / "encoder", state)
                return state
        state["epoch"] += 1
        state["pos"] = 0
    checkpoint(final=True)
    export(model, tok, work / "encoder", state)
    return state


def export(model, tok, out: Path, state: dict) -> None:
    """The encoder (with its MLM head, so a later session can continue it) and tokenizer as a
    Hugging Face directory, plus ``pretraining.json``."""
    save_weights(model.cpu() if hasattr(model, "cpu") else model, out)
    tok.save_pretrained(out)
    (out / "pretraining.json").write_text(json.dumps(state, indent=1))
    print(f"encoder written to {out} at step {state['step']}", flush=True)


def init_embeddings(model, vectors_path: Path) -> None:
    """Token embeddings from word2vec vectors (``.npy``, one row per token id), rescaled to the
    initialiser's standard deviation (unscaled vectors hurt)."""
    import torch

    vec = np.load(vectors_path).astype(np.float32)
    emb = model.get_input_embeddings().weight
    if vec.shape != tuple(emb.shape):
        raise ValueError(f"{vectors_path}: shape {vec.shape}, embeddings {tuple(emb.shape)}")
    vec = (vec - vec.mean(0)) / (vec.std() + 1e-8) * model.config.initializer_range
    with torch.no_grad():
        emb.copy_(torch.from_numpy(vec))


def train_word_vectors(work: Path, tok, dim: int, out: Path, workers: int = 2) -> None:
    """word2vec (gensim, skip-gram) over the tokenized corpus, saved as an id-indexed matrix."""
    from gensim.models import Word2Vec

    data = np.load(work / "blocks.npz")
    vocab = tok.convert_ids_to_tokens(list(range(len(tok))))
    sentences = [[vocab[i] for i in row] for row in data["ids"].astype(np.int64)]
    w2v = Word2Vec(sentences, vector_size=dim, window=5, min_count=1, sg=1, workers=workers, epochs=2, seed=0)
    rng = np.random.default_rng(0)
    mat = rng.normal(0, 1, (len(tok), dim)).astype(np.float32) * float(np.std(w2v.wv.vectors))
    for i, t in enumerate(vocab):
        if t in w2v.wv:
            mat[i] = w2v.wv[t]
    np.save(out, mat)


def evaluate(model_dir: str, work: Path) -> dict:
    """Held-out figures of any saved masked-LM (its own tokenizer) on ``heldout.txt``."""
    import torch
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForMaskedLM.from_pretrained(model_dir, use_safetensors=True)
    if not hasattr(model, "lm_head"):  # BERT names its head .cls
        model.lm_head = model.cls
    torch.set_num_threads(2)
    return HeldOut(work, tok)(model)


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(PRESETS), default="cpu")
    ap.add_argument("--workdir", default=str(ROOT / "runs" / "pretrain"))
    ap.add_argument("--corpora", default=None, help="the corpora folder (default: ../shared/corpora)")
    ap.add_argument("--out", default=None, help="also write the encoder here at each checkpoint, in bfloat16 "
                                                "(e.g. $OUT; continue it with --init)")
    ap.add_argument("--max-shard", help="largest safetensors shard of --out, e.g. 14MB")
    ap.add_argument("--fit-to-time", action="store_const", const=True,
                    help="after 20 steps, shorten --total-steps to what fits in --max-minutes, so the cool-down "
                         "happens inside the window (the GPU preset)")
    ap.add_argument("--vocab-size", type=int, default=8000)
    ap.add_argument("--layers", type=int)
    ap.add_argument("--hidden", type=int)
    ap.add_argument("--micro-batch", type=int)
    ap.add_argument("--accumulate", type=int)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int)
    ap.add_argument("--rewarm", type=int, default=100, help="re-warm-up steps after --init (fresh optimizer)")
    ap.add_argument("--total-steps", type=int)
    ap.add_argument("--cooldown", type=float, default=0.1, help="share of --total-steps for the linear cool-down")
    ap.add_argument("--mask-start", type=float, default=0.3)
    ap.add_argument("--mask-end", type=float, default=0.15)
    ap.add_argument("--mask-decay-steps", type=int, default=20000)
    ap.add_argument("--max-minutes", type=float)
    ap.add_argument("--checkpoint-minutes", type=float)
    ap.add_argument("--heldout-blocks", type=int, default=512)
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device")
    ap.add_argument("--bf16", action="store_const", const=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--init", default=None, help="continue from a committed encoder (weights + pretraining.json)")
    ap.add_argument("--embeddings-from", default=None, help="word vectors (.npy) for the token embeddings")
    ap.add_argument("--word-vectors", action="store_true", help="train word2vec vectors (workdir/w2v.npy) and stop")
    ap.add_argument("--prepare-only", action="store_true")
    ap.add_argument("--evaluate", default=None, metavar="MODEL_DIR", help="print held-out figures of a saved MLM")
    a = ap.parse_args(argv)
    for k, v in {**DEFAULTS, **PRESETS[a.preset]}.items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    return a


def prepare(a) -> None:
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    if (work / "blocks.npz").exists() and (work / "heldout.txt").exists():
        return  # prepared (e.g. carried to a GPU machine without the corpus)
    if not (work / "corpus.txt").exists():
        build_corpus(work, a.corpora)
        print(f"corpus built in {time.time() - t0:.0f}s", flush=True)
    if a.init and not (work / "tokenizer" / "tokenizer.json").exists():
        from transformers import AutoTokenizer

        AutoTokenizer.from_pretrained(a.init).save_pretrained(work / "tokenizer")
    if not (work / "tokenizer" / "tokenizer.json").exists():
        build_tokenizer(work / "corpus.txt", work / "tokenizer", a.vocab_size)
        print(f"tokenizer built at {time.time() - t0:.0f}s", flush=True)
    if not (work / "blocks.npz").exists():
        from transformers import AutoTokenizer

        build_blocks(work, AutoTokenizer.from_pretrained(work / "tokenizer"))
        print(f"blocks built at {time.time() - t0:.0f}s", flush=True)


def main(argv=None) -> None:
    a = parse_args(argv)
    work = Path(a.workdir)
    if a.evaluate:
        print(json.dumps(evaluate(a.evaluate, work)))
        return
    prepare(a)
    if a.word_vectors:
        from transformers import AutoTokenizer

        train_word_vectors(work, AutoTokenizer.from_pretrained(work / "tokenizer"), a.hidden, work / "w2v.npy")
        return
    if not a.prepare_only:
        train(a)


if __name__ == "__main__":
    main()
