"""WordPiece (deterministic, netral_nlp.scratch) or SentencePiece Unigram for the shipped encoder?

Trains a Unigram model with ``sentencepiece`` (same 16k size) on the pretraining corpus that
``tools/pretrain_encoder.py`` wrote, and compares it with that run's WordPiece tokenizer on the
real-dev and real-test texts (after netral normalization): tokens per word and unknown tokens.

    python benchmarks/tokenizer_choice.py [--workdir runs/pretrain] [--json benchmarks/results/tokenizer_choice.json]
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path


def main() -> None:
    import sentencepiece as spm
    from transformers import AutoTokenizer

    from netral_nlp.data.real import load_real
    from netral_nlp.normalize import Normalizer

    ap = argparse.ArgumentParser()
    ap.add_argument("--workdir", default="runs/pretrain")
    ap.add_argument("--vocab-size", type=int, default=16000)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    work = Path(args.workdir)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.time()
        spm.SentencePieceTrainer.train(
            input=str(work / "corpus.txt"), model_prefix=f"{tmp}/uni", vocab_size=args.vocab_size,
            model_type="unigram", input_sentence_size=300000, shuffle_input_sentence=True, num_threads=1,
            character_coverage=0.9995, normalization_rule_name="nmt_nfkc_cf", hard_vocab_limit=False)
        train_s = time.time() - t0
        sp = spm.SentencePieceProcessor(model_file=f"{tmp}/uni.model")
    wp = AutoTokenizer.from_pretrained(work / "tokenizer")
    norm = Normalizer()
    out: dict = {"unigram_train_s": round(train_s, 1)}
    for split in ("dev", "test"):
        texts = [norm(e.text).text for e in load_real(split)]
        words = sum(len(t.split()) for t in texts)
        wp_ids = wp(texts, add_special_tokens=False)["input_ids"]
        sp_ids = [sp.encode(t) for t in texts]
        out[f"real_{split}"] = {
            "texts": len(texts), "words": words,
            "wordpiece_tokens_per_word": round(sum(map(len, wp_ids)) / words, 3),
            "wordpiece_unk": sum(x.count(wp.unk_token_id) for x in wp_ids),
            "unigram_tokens_per_word": round(sum(map(len, sp_ids)) / words, 3),
            "unigram_unk": sum(x.count(sp.unk_id()) for x in sp_ids),
        }
    print(json.dumps(out, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
