#!/bin/bash
# Reproduces the DDPM phenomenon runs in this folder (digits, W = 256, L = 3, Adam 1e-3, batch min(n, 128),
# 20,000 steps, 256 DDIM-50 samples per evaluation, 10 evaluations per decade), three at a time.
# Usage: sample-runs/ddpm/run.sh OUTDIR   (from the repository root, after `swift build -c release`)
set -euo pipefail
out=${1:?usage: run.sh OUTDIR}
mkdir -p "$out"
bin=.build/release/genwindow
common=(train --model ddpm --data digits --width 256 --depth 3 --optimizer adam --lr 1e-3 --batch 128
        --steps 20000 --sample-steps 50 --eval-samples 256 --evals-per-decade 10 --headless --force)
run() { OPENBLAS_NUM_THREADS=1 "$bin" "${common[@]}" "${@:2}" --out "$out/$1.jsonl" > "$out/$1.log" 2>&1; }
(run n256 --n 256; run n32 --n 32) &
(run n128 --n 128; run n64 --n 64) &
(run n128-random --n 128 --labels random --classes 10; run n64-random --n 64 --labels random --classes 10) &
wait
