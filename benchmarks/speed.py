#!/usr/bin/env python
"""Speed on CPU: netral-nlp (label + highlights, one pass) against its peers, in one run.

    .venv/bin/python benchmarks/speed.py          # about 10-12 minutes on 2 cores

Prints a Markdown table (stdout) and writes ``benchmarks/results/speed.json``. See
``benchmarks/README.md`` for what each row and ratio means. All systems share one encoder with
IndoBERT-base-p1's own config (random weights: no weights are available offline), IndoBERT-base-p1's
own tokenizer (``../shared/corpora/indobert-tokenizers``, so token counts are the ones users get;
``--tokenizer scratch`` for the project-trained one the earlier runs used), one corpus, batch size
and thread count. Each system
runs in its own worker process (so its peak RSS is its own); the timed runs are interleaved
round-robin across systems and repeated, and the median is reported, so a change in machine load
hits every system alike.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "speed.json"
BASE = {"hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12, "intermediate_size": 3072}
P1 = "indobert-base-p1"  # folder of ../shared/corpora/indobert-tokenizers: vocab.txt + config.json
TINY = {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 128}
LONG_TARGETS = (600, 800, 1000, 1300)  # content tokens of the composed long articles


# --------------------------------------------------------------------------------- corpus
def load_rows() -> tuple[list[dict], str]:
    """The packaged corpus splits, else the corpus parts (texts and registers only)."""
    for folder in (ROOT / "netral_nlp" / "data", ROOT / "corpus" / "parts"):
        files = sorted(folder.glob("*.jsonl"))
        if files:
            rows = []
            for f in files:
                with open(f, encoding="utf-8") as fh:
                    rows += [json.loads(line) for line in fh if line.strip()]
            return rows, str(folder.relative_to(ROOT))
    raise SystemExit("no corpus found: netral_nlp/data/*.jsonl or corpus/parts/*.jsonl")


def token_counts(tokenizer, texts: list[str]) -> list[int]:
    return [len(x) for x in tokenizer(texts, add_special_tokens=False)["input_ids"]]


def build_corpus(rows: list[dict], tokenizer, n: int, seed: int = 0) -> dict:
    """A fixed mixed-length stream: ~89% short posts, ~8% articles, ~3% long articles (> 512 tokens).

    The corpus has almost no article over 512 tokens, so the long ones are consecutive articles
    joined into one report (600-1300 tokens). The stream is shuffled once with a fixed seed: its
    order is the "input order".
    """
    rng = random.Random(seed)
    posts = sorted({r["text"] for r in rows if r.get("register") != "article" and r["text"].strip()})
    articles = sorted({r["text"] for r in rows if r.get("register") == "article" and r["text"].strip()})
    n_long = max(1, round(0.03 * n))
    n_art = round(0.08 * n)
    n_post = n - n_long - n_art
    pool = rng.sample(articles, len(articles))
    art_len = dict(zip(pool, token_counts(tokenizer, pool)))
    longs, k = [], 0
    for j in range(n_long):
        parts, total = [], 0
        while total < LONG_TARGETS[j % len(LONG_TARGETS)]:
            a = pool[k % len(pool)]
            k += 1
            parts.append(a)
            total += art_len[a]
        longs.append("\n\n".join(parts))
    items = ([("post", t) for t in rng.sample(posts, n_post)] + [("article", t) for t in rng.sample(articles, n_art)]
             + [("long_article", t) for t in longs])
    rng.shuffle(items)
    return {"kinds": [k for k, _ in items], "texts": [t for _, t in items]}


def cut_texts(tokenizer, texts: list[str], limit: int) -> list[str]:
    """Each text cut after its ``limit``-th token (raw-text tokenization): what the pipeline sees."""
    enc = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True)
    out = []
    for t, offs in zip(texts, enc["offset_mapping"]):
        out.append(t if len(offs) <= limit else t[: offs[limit - 1][1]])
    return out


# ------------------------------------------------------------------------------- workers
def _rss_now_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


class _ModelClock:
    """Wraps a model call: total seconds spent in it and the padded positions (batch x length) it saw."""

    def __init__(self, inner):
        self.inner, self.seconds, self.positions, self.calls = inner, 0.0, 0, 0

    def reset(self):
        self.seconds, self.positions, self.calls = 0.0, 0, 0

    def __call__(self, *args, **kwargs):
        ids = kwargs.get("input_ids", args[0] if args else None)
        t = time.perf_counter()
        out = self.inner(*args, **kwargs)
        self.seconds += time.perf_counter() - t
        self.positions += int(ids.shape[0] * ids.shape[1])
        self.calls += 1
        return out

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _hook_clock(module) -> _ModelClock:
    """The same clock for an nn.Module that others call (the pipeline's model): forward hooks."""
    clock = _ModelClock(None)
    state = {}

    def pre(_m, args, kwargs):
        ids = kwargs.get("input_ids", args[0] if args else None)
        clock.positions += int(ids.shape[0] * ids.shape[1])
        clock.calls += 1
        state["t"] = time.perf_counter()

    def post(_m, _args, _out):
        clock.seconds += time.perf_counter() - state.pop("t")

    module.register_forward_pre_hook(pre, with_kwargs=True)
    module.register_forward_hook(post)
    return clock


def _netral_system(kind: str, spec: dict):
    from netral_nlp import NeutralityClassifier

    over = {"threshold": 0.0, "max_length": spec["max_length"], "stride": spec["stride"]}
    if kind == "netral-fp32":
        clf = NeutralityClassifier.from_pretrained(spec["netral_dir"], device="cpu", **over)
    elif kind == "netral-int8":
        clf = NeutralityClassifier.from_pretrained(spec["netral_dir"], device="cpu", quantize="torch", **over)
    else:
        from netral_nlp.inference.classifier import onnx_classifier

        clf = onnx_classifier(spec["netral_dir"], quantize=kind == "netral-onnx-int8", threads=spec["threads"],
                              cache_dir=spec["onnx_cache"], **over)
    clock = _ModelClock(clf.backend)
    clf.backend = clock

    def run(payload):
        from netral_nlp.inference.classifier import NeutralityClassifier as C

        texts = spec["texts"][payload["texts"]]
        if not payload.get("sort", True):  # predict() has no switch: score_windows' sort_by_length=False
            clf.score_windows = lambda *a, **k: C.score_windows(clf, *a, **{**k, "sort_by_length": False})
        try:
            preds = clf.predict(texts, batch_size=spec["batch_size"])
        finally:
            clf.__dict__.pop("score_windows", None)
        return {"partisan": sum(p.label == "partisan" for p in preds), "spans": sum(len(p.spans) for p in preds)}

    return run, clock


def _pipeline_system(spec: dict):
    from transformers import AutoTokenizer, BertForSequenceClassification, pipeline

    tok = AutoTokenizer.from_pretrained(spec["hf_dir"])
    model = BertForSequenceClassification.from_pretrained(spec["hf_dir"]).eval()
    pipe = pipeline("text-classification", model=model, tokenizer=tok, batch_size=spec["batch_size"],
                    truncation=True, max_length=spec["max_length"], device="cpu")
    clock = _hook_clock(pipe.model)

    def run(payload):
        texts = spec["texts"][payload["texts"]]
        if payload.get("presort"):  # the same length-sorted batches netral forms (outputs put back in order)
            order = sorted(range(len(texts)), key=lambda i: -spec["lengths"][payload["texts"]][i])
            res = pipe([texts[i] for i in order])
        else:
            res = pipe(texts)
        return {"partisan": sum(r["label"] == "LABEL_1" for r in res)}

    return run, clock


def _captum_system(spec: dict):
    """Label + highlights the usual way: LayerIntegratedGradients on the embeddings, one text at a time."""
    import torch
    from captum.attr import LayerIntegratedGradients
    from transformers import AutoTokenizer, BertForSequenceClassification

    tok = AutoTokenizer.from_pretrained(spec["hf_dir"])
    model = BertForSequenceClassification.from_pretrained(spec["hf_dir"]).eval()

    def fwd(ids, mask):
        return model(input_ids=ids, attention_mask=mask).logits

    lig = LayerIntegratedGradients(fwd, model.bert.embeddings)
    clock = _ModelClock(None)

    def explain(text: str, n_steps: int):
        enc = tok(text, truncation=True, max_length=spec["max_length"], return_offsets_mapping=True,
                  return_special_tokens_mask=True, return_tensors="pt")
        ids, mask = enc["input_ids"], enc["attention_mask"]
        with torch.no_grad():
            target = int(fwd(ids, mask).argmax(-1))
        special = enc["special_tokens_mask"].bool()
        ref = torch.where(special, ids, torch.full_like(ids, tok.pad_token_id))
        # all steps in one batch (captum's default) unless that is more than 4096 positions
        ibs = max(1, min(n_steps, 4096 // ids.shape[1]))
        attr = lig.attribute(ids, baselines=ref, target=target, additional_forward_args=(mask,),
                             n_steps=n_steps, internal_batch_size=ibs)
        score = attr.sum(-1)[0]
        score = score / (score.norm() + 1e-12)
        spans, cur = [], None
        for (a, z), s, sp in zip(enc["offset_mapping"][0].tolist(), score.tolist(), special[0].tolist()):
            if not sp and s >= 0.1:
                cur = [cur[0], z] if cur else [a, z]
            elif cur:
                spans.append(tuple(cur))
                cur = None
        if cur:
            spans.append(tuple(cur))
        return target, spans, int(ids.shape[1])

    def run(payload):
        per_text = []
        for text in payload["sample"]:
            t = time.perf_counter()
            _, spans, n_tok = explain(text, payload["n_steps"])
            per_text.append({"seconds": time.perf_counter() - t, "tokens": n_tok, "spans": len(spans)})
        return {"per_text": per_text}

    explain("Ayo coblos nomor dua ya bapak ibu!", 4)  # warm-up
    return run, clock


def _export_onnx(conn, spec: dict) -> None:
    """Export once, in a process of its own: the export's memory peak is not a serving cost."""
    import warnings

    warnings.filterwarnings("ignore")
    import torch

    from netral_nlp.inference.classifier import onnx_classifier

    torch.set_num_threads(spec["threads"])
    t = time.perf_counter()
    onnx_classifier(spec["netral_dir"], quantize=True, cache_dir=spec["onnx_cache"])
    conn.send({"seconds": time.perf_counter() - t, "peak_rss_mb": _peak_rss_mb()})


def _worker(conn, kind: str, spec: dict) -> None:
    import warnings

    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(spec["threads"])
    rss_import = _rss_now_mb()
    t0 = time.perf_counter()
    try:
        if kind == "pipeline":
            run, clock = _pipeline_system(spec)
        elif kind == "captum":
            run, clock = _captum_system(spec)
        else:
            run, clock = _netral_system(kind, spec)
        gc.collect()
        if kind != "captum":  # warm-up: a few short texts, then one window of max_length
            run({"texts": "warmup"})
        conn.send({"ready": True, "load_seconds": time.perf_counter() - t0, "rss_after_import_mb": rss_import,
                   "rss_loaded_mb": _rss_now_mb()})
        while True:
            cmd, payload = conn.recv()
            if cmd == "stop":
                conn.send({"peak_rss_mb": _peak_rss_mb(), "rss_now_mb": _rss_now_mb()})
                return
            clock.reset()
            t = time.perf_counter()
            info = run(payload)
            conn.send({"seconds": time.perf_counter() - t, "model_seconds": clock.seconds,
                       "positions": clock.positions, "model_calls": clock.calls, **info})
    except Exception as err:  # report, do not hang the parent
        import traceback

        conn.send({"error": f"{type(err).__name__}: {err}", "traceback": traceback.format_exc()})


# ---------------------------------------------------------------------------------- main
def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load_tokenizer_config(kind: str, rows: list[dict], vocab_size: int, max_length: int, shape: dict):
    """The tokenizer and the BertConfig every system shares, and where they come from.

    ``indobert-base-p1``: IndoBERT-base-p1's tokenizer (uncased WordPiece, 30,521 entries, loaded
    with AutoTokenizer as from the Hub) and its config (BERT-base, 50,000 embedding rows, 512
    positions, 2 token types). ``scratch``: a WordPiece trained on the corpus texts, the embedding
    padded to ``vocab_size`` (the earlier runs)."""
    from transformers import AutoTokenizer, BertConfig

    if kind == P1:
        from netral_nlp.data.real import corpora_dir

        folder = corpora_dir() / "indobert-tokenizers" / P1
        tokenizer = AutoTokenizer.from_pretrained(folder)
        config = BertConfig.from_pretrained(folder)
        config.update({**shape, "id2label": {0: "LABEL_0", 1: "LABEL_1"}, "label2id": {"LABEL_0": 0, "LABEL_1": 1}})
        return tokenizer, config, {"name": P1, "source": str(folder), "entries": len(tokenizer)}
    from netral_nlp.training.tokenizers import build_tokenizer

    tokenizer = build_tokenizer([r["text"] for r in rows], vocab_size=vocab_size, model_max_length=max_length)
    config = BertConfig(vocab_size=max(vocab_size, len(tokenizer)), max_position_embeddings=512,
                        pad_token_id=tokenizer.pad_token_id, **shape)
    return tokenizer, config, {"name": "scratch", "source": "build_tokenizer(corpus texts)", "entries": len(tokenizer)}


def build_models(tmp: Path, tokenizer, config, max_length: int, stride: int):
    """One random encoder saved twice: as a netral model and as BertForSequenceClassification."""
    import torch
    from transformers import BertForSequenceClassification

    from netral_nlp import NeutralityClassifier
    from netral_nlp.modeling import build_model
    from netral_nlp.settings import NetralSettings

    settings = NetralSettings(max_length=max_length, stride=stride)
    torch.manual_seed(0)
    model = build_model(config, len(settings.labels), len(settings.tags)).eval()
    netral_dir = tmp / "netral"
    NeutralityClassifier(model, tokenizer, settings).save_pretrained(netral_dir)
    hf = BertForSequenceClassification(config).eval()
    missing, _ = hf.bert.load_state_dict(model.encoder.state_dict(), strict=False)
    assert all(k.startswith("pooler") for k in missing), missing
    hf_dir = tmp / "hf"
    hf.save_pretrained(hf_dir, safe_serialization=True)
    tokenizer.save_pretrained(hf_dir)
    n_params = sum(p.numel() for p in model.parameters())
    del model, hf
    gc.collect()
    return str(netral_dir), str(hf_dir), n_params, config.vocab_size


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


RUNS = [
    # key, worker, payload, description, optional (only with --all)
    ("1", "pipeline", {"texts": "full"},
     "A: transformers pipeline, label only (truncates at 512), input order", False),
    ("1s", "pipeline", {"texts": "cut", "presort": True},
     "A fed length-sorted texts (the batches netral forms), label only", False),
    ("3", "netral-fp32", {"texts": "full"},
     "netral fp32 predict: label + spans, whole text in 512/128 windows, length-sorted (default)", False),
    ("3t", "netral-fp32", {"texts": "cut"},
     "netral fp32 predict on the texts cut to <= 512 tokens (what A sees), length-sorted", False),
    ("3s", "netral-fp32", {"texts": "ig"},
     "netral fp32 predict on the texts of run 2 only (a measured 3/2 on the same texts)", False),
    ("3u", "netral-fp32", {"texts": "full", "sort": False},
     "netral fp32 predict in input order (sort_by_length=False)", True),
    ("4", "netral-int8", {"texts": "full"}, "netral fast: from_pretrained(quantize='torch'), torch dynamic int8", False),
    ("4u", "netral-int8", {"texts": "full", "sort": False},
     "netral fast (torch int8) in input order (sort_by_length=False)", False),
    ("4o", "netral-onnx-fp32", {"texts": "full"}, "netral fast: ONNX Runtime fp32 (fused attention)", True),
    ("4q", "netral-onnx-int8", {"texts": "full"}, "netral fast: ONNX Runtime dynamic int8 (fused attention)", False),
]
ROW_ORDER = ("1", "1s", "2", "3", "3t", "3s", "3u", "4", "4u", "4o", "4q")


def cpu_description() -> str:
    """CPU model and the vector extensions int8 speed depends on (AVX-512 VNNI and AMX make dynamic
    int8 much faster than on an AVX2-only CPU), from /proc/cpuinfo where there is one."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    name = fields.get("model name\t", fields.get("model name", platform.machine())).strip()
    flags = set(fields.get("flags\t\t", fields.get("flags", "")).split())
    isa = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if f in flags]
    return f"{name} ({', '.join(isa) or 'no AVX2'})"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n-texts", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-length", type=int, default=512)
    ap.add_argument("--stride", type=int, default=128)
    ap.add_argument("--tokenizer", choices=(P1, "scratch"), default=P1,
                    help="IndoBERT-base-p1's own tokenizer and config (default; needs ../shared/corpora) or one "
                         "trained on the corpus (the earlier runs)")
    ap.add_argument("--vocab-size", type=int, default=50000, help="embedding rows with --tokenizer scratch")
    ap.add_argument("--ig-texts", type=int, default=8)
    ap.add_argument("--ig-steps", type=int, default=50)
    ap.add_argument("--all", action="store_true", help="also the optional runs 3u and 4o (about +5 minutes)")
    ap.add_argument("--skip", nargs="*", default=[], help="run keys to leave out (e.g. 2 4q)")
    ap.add_argument("--tiny", action="store_true", help="a 2-layer encoder: smoke test of the script, not a benchmark")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import multiprocessing as mp

    import numpy as np
    import torch

    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    shape = TINY if args.tiny else BASE
    rows, source = load_rows()
    tokenizer, config, tok_info = load_tokenizer_config(args.tokenizer, rows, args.vocab_size, args.max_length, shape)
    corpus = build_corpus(rows, tokenizer, args.n_texts)
    texts = corpus["texts"]
    limit = args.max_length - 2
    cut = cut_texts(tokenizer, texts, limit)
    full_len = token_counts(tokenizer, texts)
    cut_len = token_counts(tokenizer, cut)
    warm = [t for t, k in zip(texts, corpus["kinds"]) if k == "post"][:8] + [next(
        t for t, k in zip(cut, corpus["kinds"]) if k == "long_article")]
    order = sorted(range(len(texts)), key=lambda i: full_len[i])
    ig_sample = [texts[order[int((j + 0.5) * len(texts) / args.ig_texts)]] for j in range(args.ig_texts)]
    kinds = {k: corpus["kinds"].count(k) for k in ("post", "article", "long_article")}
    log(f"corpus: {len(texts)} texts from {source} {kinds}, {sum(full_len)} tokens "
        f"(median {int(np.median(full_len))}, max {max(full_len)}); tokenizer {tok_info['name']}, "
        f"{len(tokenizer)} entries")

    runs = [r[:4] for r in RUNS if r[0] not in set(args.skip) and (args.all or not r[4])]
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        runs = [r for r in runs if not r[1].startswith("netral-onnx")]
    with tempfile.TemporaryDirectory(prefix="netral-speed-") as tmp:
        netral_dir, hf_dir, n_params, vocab = build_models(Path(tmp), tokenizer, config, args.max_length,
                                                           args.stride)
        log(f"models: {n_params / 1e6:.1f}M parameters, vocab {vocab}, {time.perf_counter() - started:.0f}s")
        spec = {"threads": args.threads, "batch_size": args.batch_size, "max_length": args.max_length,
                "stride": args.stride, "netral_dir": netral_dir, "hf_dir": hf_dir,
                "texts": {"full": texts, "cut": cut, "warmup": warm, "ig": ig_sample},
                "lengths": {"full": full_len, "cut": cut_len}}
        spec["onnx_cache"] = str(Path(tmp) / "onnx")  # exported once, shared by the two ONNX workers
        systems = sorted({r[1] for r in runs} | ({"captum"} if "2" not in args.skip else set()))
        ctx = mp.get_context("spawn")
        workers, info = {}, {}
        if any(k.startswith("netral-onnx") for k in systems):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_export_onnx, args=(child, spec), daemon=True)
            proc.start()
            info["onnx-export"] = parent.recv()
            proc.join()
            log(f"ONNX export (fused, fp32 + int8) in {info['onnx-export']['seconds']:.0f}s, "
                f"peak RSS {info['onnx-export']['peak_rss_mb']:.0f} MB")
        for kind in systems:  # started one at a time: loading is not what is measured
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(child, kind, spec), daemon=True)
            proc.start()
            msg = parent.recv()
            if "error" in msg:
                raise SystemExit(f"{kind} failed to start: {msg['error']}\n{msg['traceback']}")
            workers[kind], info[kind] = (proc, parent), msg
            log(f"{kind} ready in {msg['load_seconds']:.1f}s, RSS {msg['rss_loaded_mb']:.0f} MB")

        def call(kind, payload):
            conn = workers[kind][1]
            conn.send(("run", payload))
            msg = conn.recv()
            if "error" in msg:
                raise SystemExit(f"{kind} failed: {msg['error']}\n{msg['traceback']}")
            return msg

        results = {key: [] for key, *_ in runs}
        for rep in range(args.repeats):  # round-robin: load changes hit every system alike
            for key, kind, payload, _ in runs:
                res = call(kind, payload)
                results[key].append(res)
                log(f"rep {rep + 1}/{args.repeats} run {key:>2} ({kind}): {res['seconds']:.1f}s "
                    f"(model {res['model_seconds']:.1f}s)")
        ig = None
        if "captum" in workers:
            ig = call("captum", {"sample": ig_sample, "n_steps": args.ig_steps})
            log(f"run 2 (captum IG, {len(ig_sample)} texts): {ig['seconds']:.1f}s")
        for kind, (proc, conn) in workers.items():
            conn.send(("stop", None))
            info[kind].update(conn.recv())
            proc.join(timeout=30)
    load = os.getloadavg()

    # ------------------------------------------------------------------------ figures
    n = len(texts)
    ig_len = token_counts(tokenizer, ig_sample)
    tokens = {"full": sum(full_len), "cut": sum(cut_len), "ig": sum(min(x, limit) for x in ig_len)}
    rows_out = {}
    for key, kind, payload, desc in runs:
        rs = results[key]
        sec = median([r["seconds"] for r in rs])
        covered = tokens["cut"] if kind == "pipeline" else tokens[payload["texts"]]
        n_run = len(ig_sample) if payload["texts"] == "ig" else n
        rows_out[key] = {
            "system": kind, "description": desc, "texts": n_run, "tokens": covered,
            "seconds_median": sec, "seconds_all": [r["seconds"] for r in rs],
            "model_seconds_median": median([r["model_seconds"] for r in rs]),
            "model_seconds_all": [r["model_seconds"] for r in rs],
            "texts_per_s": n_run / sec, "tokens_per_s": covered / sec,
            "model_positions": rs[0]["positions"], "model_calls": rs[0]["model_calls"],
            "peak_rss_mb": info[kind]["peak_rss_mb"], "rss_loaded_mb": info[kind]["rss_loaded_mb"],
            **{k: rs[0][k] for k in ("partisan", "spans") if k in rs[0]},
        }
    if ig is not None:
        per = ig["per_text"]
        secs = np.array([p["seconds"] for p in per])
        toks = np.array([p["tokens"] for p in per])
        slope, icpt = np.polyfit(toks, secs, 1) if len(per) > 1 else (0.0, float(secs.mean()))
        corpus_tok = np.minimum(np.array(full_len) + 2, args.max_length)
        if slope > 0:  # time per text grows with its length: extrapolate to the corpus lengths
            est = float(np.sum(np.maximum(icpt + slope * corpus_tok, secs.min())))
        else:
            est = float(secs.mean()) * n
        rows_out["2"] = {
            "system": "captum", "texts": n, "tokens": tokens["cut"], "seconds_median": est,
            "description": f"B: label + highlights with captum LayerIntegratedGradients "
                           f"(n_steps={args.ig_steps}), one text at a time; timed on {len(per)} texts "
                           f"(length quantiles), extrapolated to the corpus by a fit of s/text on tokens",
            "texts_per_s": n / est, "tokens_per_s": tokens["cut"] / est, "sample": per,
            "sample_texts_per_s": len(per) / float(secs.sum()),
            "sample_seconds_per_text_median": float(np.median(secs)),
            "fit_seconds_per_text": {"intercept": float(icpt), "per_token": float(slope)},
            "peak_rss_mb": info["captum"]["peak_rss_mb"], "rss_loaded_mb": info["captum"]["rss_loaded_mb"],
        }

    def ratio(a, b, unit="texts_per_s"):
        if a in rows_out and b in rows_out:
            return rows_out[a][unit] / rows_out[b][unit]
        return None

    fast_keys = [k for k in ("4", "4o", "4q") if k in rows_out]
    best = max(fast_keys, key=lambda k: rows_out[k]["texts_per_s"]) if fast_keys else None
    ratios = [
        ("3/1", ratio("3", "1"), 0.95, "netral defaults vs the pipeline as people run it"),
        ("3/1 in tokens/s", ratio("3", "1", "tokens_per_s"), None,
         "the same, crediting netral for reading long texts to the end"),
        ("3t/1", ratio("3t", "1"), 0.95, "same truncation (texts cut to <= 512 tokens)"),
        ("3t/1s", ratio("3t", "1s"), 0.95, "same truncation and same batches: the cost of the spans alone"),
        ("3/2", ratio("3", "2"), 30.0, "one pass vs integrated gradients, whole corpus (2 extrapolated)"),
        ("3s/2 sample", rows_out["3s"]["texts_per_s"] / rows_out["2"]["sample_texts_per_s"]
         if "3s" in rows_out and "2" in rows_out else None, 30.0,
         "the same, measured on the same few texts (no extrapolation)"),
        ("4/3", ratio("4", "3"), 2.0, "torch dynamic int8 vs fp32"),
        ("4o/3", ratio("4o", "3"), None, "ONNX Runtime fp32 vs torch fp32"),
        ("4q/3", ratio("4q", "3"), 2.0, "ONNX Runtime int8 vs torch fp32"),
        (f"best fast ({best})/3", ratio(best, "3") if best else None, 2.0, "the one fast option"),
        ("4/4u", ratio("4", "4u"), 1.5, "length-sorted batching vs input order (torch int8 path)"),
        ("3/3u", ratio("3", "3u"), 1.5, "length-sorted batching vs input order (fp32)"),
    ]
    ratios = [r for r in ratios if r[1] is not None]
    report = {
        "command": "python benchmarks/speed.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"cpu": cpu_description(), "cpus": os.cpu_count(),
                    "python": platform.python_version(), "torch": torch.__version__,
                    "load_average_at_end": load},
        "setup": {"threads": args.threads, "batch_size": args.batch_size, "max_length": args.max_length,
                  "stride": args.stride, "repeats": args.repeats, "encoder": shape, "vocab_size": vocab,
                  "parameters": n_params, "tiny": args.tiny, "corpus_source": source, "tokenizer": tok_info,
                  "corpus": {"texts": n, **kinds, "tokens": tokens["full"], "tokens_cut_512": tokens["cut"],
                             "median_tokens": float(np.median(full_len)), "max_tokens": max(full_len),
                             "over_510_tokens": sum(x > limit for x in full_len)}},
        "runs": rows_out,
        "ratios": {k: {"value": v, "target": t, "met": (v >= t) if t else None, "meaning": m}
                   for k, v, t, m in ratios},
        "best_fast_path": best,
        "workers": info,
        "total_seconds": time.perf_counter() - started,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(report))
    log(f"wrote {args.out} ({report['total_seconds']:.0f}s in all)")
    return 0


def markdown(report: dict) -> str:
    s = report["setup"]
    c = s["corpus"]
    lines = [
        f"Encoder {s['encoder']['num_hidden_layers']} layers x {s['encoder']['hidden_size']} hidden, vocab "
        f"{s['vocab_size']}, random weights; tokenizer {s.get('tokenizer', {}).get('name', 'scratch')}; {c['texts']} texts ({c['post']} posts, {c['article']} articles, "
        f"{c['long_article']} long articles; {c['tokens']} tokens, median {c['median_tokens']:.0f}, "
        f"{c['over_510_tokens']} over 510); batch {s['batch_size']}, {s['threads']} threads, "
        f"max_length {s['max_length']} / stride {s['stride']}; median of {s['repeats']} interleaved runs. "
        f"Load average at the end: {report['machine']['load_average_at_end'][0]:.1f}.",
        "",
        "| # | system | texts/s | tokens/s | s (median) | in model s | other s | model positions | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key in ROW_ORDER:
        r = report["runs"].get(key)
        if not r:
            continue
        model_s = other_s = "-"
        if "model_seconds_median" in r:
            other = median([a - b for a, b in zip(r["seconds_all"], r["model_seconds_all"])])
            model_s, other_s = f"{r['model_seconds_median']:.1f}", f"{other:.2f}"
        pos = f"{r['model_positions']:,}" if "model_positions" in r else "-"
        sec = f"{r['seconds_median']:.1f}" + (" (extrap.)" if key == "2" else "")
        tps = f"{r['texts_per_s']:.2f}" + (f" (sample: {r['sample_texts_per_s']:.2f})" if key == "2" else "")
        lines.append(f"| {key} | {r['description']} | {tps} | {r['tokens_per_s']:.0f} | {sec} | "
                     f"{model_s} | {other_s} | {pos} | {r['peak_rss_mb']:.0f} |")
    lines += ["", "| ratio (texts/s) | value | target | met | meaning |", "| --- | ---: | ---: | --- | --- |"]
    for k, r in report["ratios"].items():
        tgt = f">= {r['target']:g}" if r["target"] else "-"
        met = {True: "yes", False: "**no**", None: "-"}[r["met"]]
        lines.append(f"| {k} | {r['value']:.2f} | {tgt} | {met} | {r['meaning']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
