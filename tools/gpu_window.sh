#!/usr/bin/env bash
# A GPU window for the encoder's pretraining, run on the device machine when a session has one:
#
#   device run  command="bash tools/gpu_window.sh"  timeout_s=560
#               carry=["runs/pretrain/blocks.npz", "runs/pretrain/heldout.txt", "runs/pretrain/tokenizer"]
#
# (prepare runs/pretrain here first: python tools/pretrain_encoder.py --prepare-only). It pretrains
# the larger encoder of the `gpu` preset (6 layers x 512, bf16 autocast, fused AdamW) for 7
# minutes, with the schedule fitted to the window (cool-down included), and writes to $OUT every
# minute: encoder/ (bf16 safetensors shards under 15 MiB, config.json, pretraining.json with the
# held-out masked-LM loss, accuracy and unigram entropy) and log.txt. Back on CPU, copy the
# tokenizer beside the weights and continue with
#   python tools/pretrain_encoder.py --init <files_at>/encoder --layers 6 --hidden 512 --workdir runs/pretrain-6x512
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
: "${OUT:?OUT is the device tool's output folder}"
work=runs/pretrain-gpu
mkdir -p "$work"
cp -r runs/pretrain/blocks.npz runs/pretrain/heldout.txt runs/pretrain/tokenizer "$work"/
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
python3 tools/pretrain_encoder.py --preset gpu --workdir "$work" --out "$OUT" "$@" 2>&1 | tee "$OUT/log.txt"
