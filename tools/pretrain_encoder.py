"""Masked-LM pretraining of the shipped encoder on real Indonesian, resumable, on CPU or GPU.

    python tools/pretrain_encoder.py --workdir runs/pretrain --max-minutes 70
    python tools/pretrain_encoder.py --workdir runs/pretrain --max-minutes 70   # continues

Steps (each skipped when its output exists in ``--workdir``):

1. ``corpus.txt``: every real text in ``../shared/corpora`` (IndoNLU train splits, the 2024
   election tweets, ``extra/``) except the annotated real-dev and real-test rows, with register
   weights (election tweets twice, statutes a quarter, technical docs a half), plus the
   project's train split three times; exact duplicates dropped; each text passed through the
   netral normaliser, as fine-tuning and inference see it.
2. ``tokenizer/``: a deterministic 16k WordPiece vocabulary (``netral_nlp.scratch``) on that corpus.
3. ``blocks.npz``: the corpus tokenized and packed into 128-token blocks (with word starts,
   for whole-word masking).
4. Training: BERT with whole-word masking (15%, 80/10/10), the vocabulary projection on masked
   positions only, AdamW with linear warm-up and decay over ``--total-steps``. A checkpoint
   (model and optimizer state in safetensors, step and data position in JSON) is written every
   ``--checkpoint-minutes`` and when ``--max-minutes`` is reached, so a later run continues
   exactly where this one stopped; nothing is unpickled.
5. ``encoder/``: the encoder and tokenizer as a Hugging Face directory, the ``--base-model`` of
   fine-tuning (``netral train --config models/netral-mini.toml``).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SOURCES = {  # source -> weight (copies; fractions keep every k-th text)
    "pemilu2024_tweets/anies": 2, "pemilu2024_tweets/ganjar": 2, "pemilu2024_tweets/prabowo": 2,
    "indonlu/emot": 2, "indonlu/smsa": 1, "indonlu/casa": 1, "indonlu/hoasa": 1, "indonlu/nerp": 1,
    "indonlu/nergrit": 1, "indonlu/posp": 1, "indonlu/bapos": 1, "indonlu/keps": 1, "indonlu/terma": 1,
    "indonlu/wrete": 1, "indonlu/facqa": 1,
    "extra/stif_tweets": 2, "extra/indosum_dev": 1, "extra/idkmrc_contexts": 1, "extra/indonli_premises": 1,
    "extra/ud_indonesian": 1, "extra/nusax_ind": 1, "extra/laws_sample": 0.25, "extra/react_docs_id": 0.5,
    "extra/debian_handbook_id": 0.5, "extra/gnome_help_id": 0.5, "extra/kicad_doc_id": 0.5,
}
PROJECT_COPIES = 3
BLOCK = 128


def held_out_hashes() -> set[str]:
    """sha1 of every real-dev/real-test text (and of every sampled item when annotations are not
    resolved yet: the sample file lists the held-out sources)."""
    from netral_nlp.realdata import ANNOTATIONS, read_annotations, sha1

    out: set[str] = set()
    if ANNOTATIONS.exists():
        out.update(a["sha1"] for a in read_annotations() if a["split"] in ("dev", "test"))
    sample = ROOT / "runs" / "annot" / "sample.jsonl"
    if sample.exists():  # before resolution: hold out all test-source items and the dev share
        sys.path.insert(0, str(ROOT / "tools"))
        from real_annotation import _dev_assignment

        items = [json.loads(line) for line in sample.read_text(encoding="utf-8").splitlines()]
        dev = _dev_assignment(items)
        out.update(sha1(x["text"]) for x in items if x["role"] == "test" or x["id"] in dev)
    return out


def build_corpus(path: Path) -> None:
    from netral_nlp.data import read_jsonl
    from netral_nlp.normalize import Normalizer
    from netral_nlp.realdata import iter_source, sha1

    held = held_out_hashes()
    norm = Normalizer()
    seen: set[str] = set()
    stats = {}
    with open(path, "w", encoding="utf-8") as f:
        for source, weight in SOURCES.items():
            texts = [t for t in iter_source(source) if t.strip() and sha1(t) not in held]
            texts = [t for t in texts if not (t in seen or seen.add(t))]
            if weight < 1:
                texts = texts[:: round(1 / weight)]
            copies = max(1, int(weight))
            lines = [" ".join(norm(t).text.split()) for t in texts]
            for _ in range(copies):
                for line in lines:
                    f.write(line + "\n")
            stats[source] = {"texts": len(texts), "copies": copies, "words": sum(len(x.split()) for x in lines)}
        project = [" ".join(norm(e.text).text.split()) for e in read_jsonl(ROOT / "netral_nlp/data/train.jsonl")]
        for _ in range(PROJECT_COPIES):
            for line in project:
                f.write(line + "\n")
        stats["project/train"] = {"texts": len(project), "copies": PROJECT_COPIES,
                                  "words": sum(len(x.split()) for x in project)}
    stats["held_out_hashes"] = len(held)
    (path.parent / "corpus_stats.json").write_text(json.dumps(stats, indent=1))
    print(json.dumps(stats, indent=1))


def build_tokenizer(corpus: Path, out: Path, vocab_size: int) -> None:
    from netral_nlp.normalize import NormalizationConfig
    from netral_nlp.scratch import build_tokenizer as build

    lines = corpus.read_text(encoding="utf-8").splitlines()
    # Text is already normalized: build the vocabulary on it as is.
    tok = build(lines, vocab_size=vocab_size, model_max_length=512,
                normalization=NormalizationConfig(enabled=False))
    tok.save_pretrained(out)


def build_blocks(corpus: Path, tok_dir: Path, out: Path) -> None:
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(tok_dir)
    lines = corpus.read_text(encoding="utf-8").splitlines()
    random.Random(0).shuffle(lines)  # mix registers before packing
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
    n = len(ids) // (BLOCK - 2)
    arr = np.asarray(ids[: n * (BLOCK - 2)], dtype=np.int32).reshape(n, BLOCK - 2)
    st = np.asarray(starts[: n * (BLOCK - 2)], dtype=np.int8).reshape(n, BLOCK - 2)
    np.savez(out, ids=arr, starts=st)
    print(f"{len(ids):,} tokens in {n:,} blocks of {BLOCK}")


def mask_batch(ids: np.ndarray, starts: np.ndarray, tok, rng: np.random.Generator, p: float = 0.15):
    """Whole-word masking: pick words with probability ``p``; 80% [MASK], 10% random, 10% kept."""
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


def _save_checkpoint(ckpt: Path, model, opt, state: dict) -> None:
    from safetensors.torch import save_file

    tmp = ckpt.with_name(ckpt.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(tmp, safe_serialization=True)
    tensors, meta = {}, {}
    params = [p for g in opt.param_groups for p in g["params"]]
    for i, p_ in enumerate(params):  # keyed by position in the param groups, as _load_optimizer reads it
        for k, v in opt.state.get(p_, {}).items():
            if hasattr(v, "dim") and v.dim() > 0:
                tensors[f"{i}.{k}"] = v.contiguous()
            else:
                meta[f"{i}.{k}"] = float(v)
    save_file(tensors, tmp / "optimizer.safetensors")
    (tmp / "state.json").write_text(json.dumps({**state, "optimizer_scalars": meta}, indent=1))
    if ckpt.exists():
        old = ckpt.with_name(ckpt.name + ".old")
        ckpt.rename(old)
        tmp.rename(ckpt)
        import shutil

        shutil.rmtree(old)
    else:
        tmp.rename(ckpt)


def _load_optimizer(opt, ckpt: Path, scalars: dict) -> None:
    import torch
    from safetensors.torch import load_file

    tensors = load_file(ckpt / "optimizer.safetensors")
    params = [p for g in opt.param_groups for p in g["params"]]
    for i, p_ in enumerate(params):
        st = {k.split(".", 1)[1]: v for k, v in tensors.items() if k.split(".", 1)[0] == str(i)}
        st.update({k.split(".", 1)[1]: torch.tensor(v) for k, v in scalars.items() if k.split(".", 1)[0] == str(i)})
        if st:
            opt.state[p_] = st


def train(args) -> None:
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForMaskedLM

    torch.set_num_threads(args.threads)
    work = Path(args.workdir)
    tok = AutoTokenizer.from_pretrained(work / "tokenizer")
    data = np.load(work / "blocks.npz")
    ids, starts = data["ids"], data["starts"]
    ckpt = work / "checkpoint"
    fresh_optimizer = False
    if not ckpt.exists() and args.init:  # a committed checkpoint (model and step, no optimizer state)
        model = BertForMaskedLM.from_pretrained(args.init)
        state = json.loads((Path(args.init) / "pretraining.json").read_text())
        fresh_optimizer = True
    elif ckpt.exists():
        model = BertForMaskedLM.from_pretrained(ckpt)
        state = json.loads((ckpt / "state.json").read_text())
    else:
        torch.manual_seed(args.seed)
        config = BertConfig(vocab_size=len(tok), hidden_size=args.hidden, num_hidden_layers=args.layers,
                            num_attention_heads=args.hidden // 64, intermediate_size=4 * args.hidden,
                            max_position_embeddings=512, pad_token_id=tok.pad_token_id)
        model = BertForMaskedLM(config)
        state = {"step": 0, "epoch": 0, "pos": 0, "log": []}
    model.train()
    no_decay = ["bias", "LayerNorm.weight"]
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(x in n for x in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(x in n for x in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=args.lr, betas=(0.9, 0.98), eps=1e-6)
    if ckpt.exists() and not fresh_optimizer:
        _load_optimizer(opt, ckpt, state.pop("optimizer_scalars", {}))
    state.pop("optimizer_scalars", None)
    warm = int(0.06 * args.total_steps)

    def lr_at(step):
        if step < warm:
            return args.lr * (step + 1) / warm
        return args.lr * max(0.02, (args.total_steps - step) / max(1, args.total_steps - warm))

    started = last_ckpt = time.time()
    losses = []
    n = len(ids)
    while state["step"] < args.total_steps:
        order = np.random.default_rng(args.seed + state["epoch"]).permutation(n)
        while state["pos"] + args.batch_size <= n and state["step"] < args.total_steps:
            sel = order[state["pos"]: state["pos"] + args.batch_size]
            rng = np.random.default_rng([args.seed, state["step"]])
            inp, labels = mask_batch(ids[sel].astype(np.int64), starts[sel], tok, rng)
            inp_t, lab_t = torch.from_numpy(inp), torch.from_numpy(labels)
            for g in opt.param_groups:
                g["lr"] = lr_at(state["step"])
            hidden = model.bert(input_ids=inp_t).last_hidden_state
            picked = lab_t != -100
            logits = model.cls(hidden[picked])
            loss = torch.nn.functional.cross_entropy(logits.float(), lab_t[picked])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)
            losses.append(loss.item())
            state["step"] += 1
            state["pos"] += args.batch_size
            if state["step"] % 50 == 0:
                el = time.time() - started
                entry = {"step": state["step"], "loss": round(float(np.mean(losses)), 4),
                         "lr": lr_at(state["step"]), "elapsed_s": round(el, 1)}
                state["log"].append(entry)
                losses = []
                print(json.dumps(entry), flush=True)
            now = time.time()
            out_of_time = now - started > args.max_minutes * 60
            if out_of_time or now - last_ckpt > args.checkpoint_minutes * 60:
                state["elapsed_total_s"] = state.get("elapsed_total_s", 0) + (now - last_ckpt)
                _save_checkpoint(ckpt, model, opt, state)
                last_ckpt = now
                print(f"checkpoint at step {state['step']}", flush=True)
            if out_of_time:
                export(model, tok, work / "encoder", state)
                return
        state["epoch"] += 1
        state["pos"] = 0
    state["elapsed_total_s"] = state.get("elapsed_total_s", 0) + (time.time() - last_ckpt)
    _save_checkpoint(ckpt, model, opt, state)
    export(model, tok, work / "encoder", state)


def export(model, tok, out: Path, state: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    model.bert.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)
    (out / "pretraining.json").write_text(json.dumps({k: v for k, v in state.items() if k != "optimizer_scalars"},
                                                     indent=1))
    print(f"encoder written to {out} at step {state['step']}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workdir", default=str(ROOT / "runs" / "pretrain"))
    ap.add_argument("--vocab-size", type=int, default=16000)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--total-steps", type=int, default=6000)
    ap.add_argument("--max-minutes", type=float, default=60)
    ap.add_argument("--checkpoint-minutes", type=float, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--prepare-only", action="store_true")
    ap.add_argument("--init", default=None,
                    help="continue from a saved MLM model (e.g. models/netral-mini-mlm: weights, tokenizer and "
                         "pretraining.json; the optimizer starts afresh); its tokenizer replaces the one built here")
    args = ap.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    if not (work / "corpus.txt").exists():
        build_corpus(work / "corpus.txt")
        print(f"corpus built in {time.time() - t0:.0f}s", flush=True)
    if args.init and not (work / "tokenizer" / "tokenizer.json").exists():
        from transformers import AutoTokenizer

        AutoTokenizer.from_pretrained(args.init).save_pretrained(work / "tokenizer")
    if not (work / "tokenizer" / "tokenizer.json").exists():
        build_tokenizer(work / "corpus.txt", work / "tokenizer", args.vocab_size)
        print(f"tokenizer built at {time.time() - t0:.0f}s", flush=True)
    if not (work / "blocks.npz").exists():
        build_blocks(work / "corpus.txt", work / "tokenizer", work / "blocks.npz")
        print(f"blocks built at {time.time() - t0:.0f}s", flush=True)
    if not args.prepare_only:
        train(args)


if __name__ == "__main__":
    main()
