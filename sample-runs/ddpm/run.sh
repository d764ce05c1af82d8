#!/bin/bash
# Reproduces the DDPM runs in this folder: digits, width 256, depth 3, Adam 1e-3, batch min(n, 128), EMA 0.999,
# 256 DDIM-50 samples per evaluation, 20 evaluations per decade; n = 32, 64, 128, 256 unconditional and n = 64, 128
# with 10 random labels, seeds 0, 1 and 2 each (18 runs). Each n gets enough steps to run well past twice its
# tau_mem: 12k (n = 32), 16k (64), 30k (128), 70k (256). Runs that ended completed are skipped, so rerunning the
# script after an interruption continues where it stopped (an unfinished run starts over).
# Usage: sample-runs/ddpm/run.sh OUTDIR [JOBS]   (from the repository root, after `swift build -c release`;
# GENWINDOW=PATH runs another binary, e.g. a copy that a rebuild cannot replace mid-run)
set -euo pipefail
out=${1:?usage: run.sh OUTDIR [JOBS]}
jobs=${2:-2}
mkdir -p "$out"
bin=${GENWINDOW:-.build/release/genwindow}
common="train --model ddpm --data digits --width 256 --depth 3 --optimizer adam --lr 1e-3 --batch 128 --ema 0.999"
common+=" --sample-steps 50 --eval-samples 256 --evals-per-decade 20 --headless --force"
# name n steps extra-options, longest first so that the workers stay busy
cells=()
for s in 0 1 2; do cells+=("n256-s$s 256 70000 --seed $s"); done
for s in 0 1 2; do cells+=("n128-s$s 128 30000 --seed $s" "n128-random-s$s 128 30000 --seed $s --labels random --classes 10"); done
for s in 0 1 2; do cells+=("n64-s$s 64 16000 --seed $s" "n64-random-s$s 64 16000 --seed $s --labels random --classes 10"); done
for s in 0 1 2; do cells+=("n32-s$s 32 12000 --seed $s"); done
for cell in "${cells[@]}"; do
    read -r name n steps extra <<< "$cell"
    if tail -n 1 "$out/$name.jsonl" 2>/dev/null | grep -q '"reason":"completed"'; then continue; fi
    echo "OPENBLAS_NUM_THREADS=1 $bin $common --n $n --steps $steps $extra --out $out/$name.jsonl > $out/$name.log 2>&1"
done | xargs -P "$jobs" -I CMD sh -c CMD
