"""Peak memory of ``netral score`` as the input grows: it should stay flat (streaming, chunked).

Generates CSV files of N synthetic posts (default 10,000 and 200,000 rows), scores each in a
fresh subprocess (``python -m netral_nlp.cli score ... --report``) and reads that process's peak
resident set size from ``os.wait4`` (``ru_maxrss``). A tiny model is trained first (about 20 s)
unless ``--model`` is given. Not part of the tests::

    .venv/bin/python benchmarks/scoring_memory.py                  # 10k vs 200k rows
    .venv/bin/python benchmarks/scoring_memory.py --sizes 1000 50000 --model models/netral-mini
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

FILLERS = [
    "Pagi ini pelayanan di kantor kecamatan berjalan lancar", "Rapat koordinasi dinas pendidikan dimulai jam sembilan",
    "Jangan lupa posyandu hari Sabtu di balai desa", "Jalan menuju pasar sudah diperbaiki oleh dinas PU",
    "Guru-guru SD mengikuti pelatihan kurikulum baru", "Antrean pembuatan KTP hari ini cukup panjang",
    "Warga gotong royong membersihkan saluran air", "Puskesmas membuka layanan imunisasi gratis",
    "KPU mengumumkan jadwal debat kandidat minggu depan", "ASN wajib menjaga netralitas selama masa kampanye",
    "Gunakan hak pilih anda di TPS terdekat, jangan golput",
]
CUES = [("ayo coblos nomor dua", "vote_call"), ("saya dukung pak hendra jadi presiden", "endorsement"),
        ("calon itu cuma bisa janji", "attack"), ("#LanjutTerus02", "campaign_symbol"),
        ("share ya dari tim pemenangan", "campaign_sharing"), ("hadir di deklarasi paslon", "campaign_activity"),
        ("bantuan dinas ini berkat paslon satu", "abuse_of_office")]


def post(rng: random.Random, i: int) -> tuple[str, list[dict]]:
    """A synthetic post: one to four filler sentences (one in 50 is article-length), half with a cue."""
    n = rng.randint(8, 30) if i % 50 == 0 else rng.randint(1, 4)
    text = ". ".join(rng.choice(FILLERS) for _ in range(n)) + "."
    spans = []
    if i % 2 == 0:
        cue, cat = rng.choice(CUES)
        start = len(text) + 1
        text = f"{text} {cue} 🙏"
        spans = [{"start": start, "end": start + len(cue), "category": cat}]
    return text, spans


def train_tiny(out: Path) -> Path:
    sys.path.insert(0, str(REPO))
    from netral_nlp import train
    from netral_nlp.training.tokenizers import build_scratch_encoder

    rng = random.Random(0)
    examples = []
    for i in range(300):
        text, spans = post(rng, i + 1)  # no article-length texts in training
        examples.append({"id": f"t{i}", "text": text, "label": "partisan" if spans else "neutral", "spans": spans})
    enc = build_scratch_encoder([e["text"] for e in examples] + FILLERS, out / "encoder", vocab_size=700,
                                hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                                max_position_embeddings=128)
    train(examples[:240], examples[240:], output_dir=out / "model", base_model=str(enc), epochs=6, batch_size=16,
          learning_rate=3e-3, max_length=64, stride=16, progress=False, logging_steps=1000, model_name="tiny")
    return out / "model"


def write_input(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        for i in range(n):
            w.writerow([f"p{i}", post(rng, i)[0]])


def measure(cmd: list[str], env: dict) -> tuple[float, int, int]:
    """(seconds, exit code, peak RSS in bytes) of one child process."""
    started = time.time()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # read stderr while it runs (the pipe must not fill up), then reap it with wait4 for its rusage
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scoring failed ({proc.returncode}):\n{err}")
    return time.time() - started, proc.returncode, usage.ru_maxrss * 1024  # Linux: ru_maxrss is in KiB


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    ap.add_argument("--model", help="model directory (default: train a tiny one)")
    ap.add_argument("--chunk-size", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--output-format", default="csv", choices=["csv", "jsonl", "parquet"])
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    with tempfile.TemporaryDirectory(prefix="netral-mem-") as tmp:
        tmp = Path(tmp)
        model = args.model or str(train_tiny(tmp))
        print(f"model: {args.model or 'tiny (2 layers, hidden 32)'}; chunk size {args.chunk_size}; "
              f"{args.threads} thread(s); output {args.output_format} + HTML report")
        print(f"{'rows':>9} {'input MB':>9} {'seconds':>8} {'rows/s':>8} {'peak RSS MB':>12}")
        results = []
        for n in args.sizes:
            src = tmp / f"in-{n}.csv"
            write_input(src, n)
            out = tmp / f"out-{n}.{args.output_format}"
            cmd = [sys.executable, "-m", "netral_nlp.cli", "score", str(src), "-o", str(out), "--model", model,
                   "--chunk-size", str(args.chunk_size), "--threads", str(args.threads), "--quiet",
                   "--report", str(tmp / f"report-{n}.html")]
            secs, _, rss = measure(cmd, env)
            results.append((n, rss))
            print(f"{n:>9,} {src.stat().st_size / 1e6:>9.1f} {secs:>8.1f} {n / secs:>8.0f} {rss / 2**20:>12.1f}",
                  flush=True)
            src.unlink()
            out.unlink()
        if len(results) > 1:
            (n0, r0), (n1, r1) = results[0], results[-1]
            print(f"{n1 / n0:.0f}x the rows -> peak RSS x{r1 / r0:.2f} ({(r1 - r0) / 2**20:+.1f} MB)")


if __name__ == "__main__":
    main()
