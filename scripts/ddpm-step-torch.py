#!/usr/bin/env python3
"""PyTorch CPU running genwindow's DDPM training step, beside genwindow's own (BENCHMARKS.md, "Model steps").

    python3 scripts/ddpm-step-torch.py [--d 64] [--w 512] [--depth 3] [--batch 128] [--threads 2]
                                       [--rounds 5] [--seconds 2] [--variants default,fused,fused-ema]
                                       [--genwindow .build/release/genwindow ... | --no-genwindow]

The network is genwindow's residual MLP (Sources/Diffusion/MLPNetwork.swift, the bench's defaults: no LayerNorm,
no classes, a 64-wide sinusoidal step embedding looked up from a table):

    t = SiLU(emb(k)·Wt1 + bt1)·Wt2 + bt2;  h = x·Win + bin + t
    L times: h = h + SiLU(SiLU(h)·W1 + b1)·W2 + b2
    out = SiLU(h)·Wout + bout

and the step is the bench case's: 128 rows of 1,024 Gaussian training points in a shuffled epoch order, k uniform in
1…999 (linear β from 1e-4 to 0.02 over T = 1000), ε ~ N(0, I), x_k = √ᾱ_k x₀ + √(1 − ᾱ_k) ε, MSE against ε,
backward, Adam (lr 1e-3) and, in the -ema variants, the EMA (0.999) of every parameter (one `_foreach_lerp_`).
Variants: `default` (torch.optim.Adam as constructed with no flags), `fused` (fused=True), each with `-ema`.
genwindow's step (`ddpm_train_step_dD_wW_bB`) always runs Adam and the EMA in one fused pass.

Each round times every variant, then genwindow's case (`genwindow bench --filter CASE --json --seconds S`, its
median steps/s), in turn, so both sides see the same load; the script prints each round and, at the end, the
median over rounds of each side's rate and of genwindow's ratio to each variant within a round. Both sides use
--threads threads (torch.set_num_threads, genwindow's --threads).
"""
import argparse
import json
import os
import statistics
import subprocess
import time

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--d", type=int, default=64)
ap.add_argument("--w", type=int, default=512)
ap.add_argument("--depth", type=int, default=3)
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--seconds", type=float, default=2.0, help="timed seconds per variant per round")
ap.add_argument("--variants", default="default,default-ema,fused,fused-ema")
ap.add_argument("--genwindow", action="append",
                help="genwindow binary (repeat to time several; default .build/release/genwindow, or $GENWINDOW)")
ap.add_argument("--no-genwindow", action="store_true", help="time PyTorch only")
args = ap.parse_args()
binaries = args.genwindow or [os.environ.get("GENWINDOW", ".build/release/genwindow")]

import torch  # noqa: E402  (after argument parsing, so --help is fast)
from torch import nn  # noqa: E402

torch.set_num_threads(args.threads)
T, E = 1000, 64


def step_table(count: int, width: int) -> torch.Tensor:
    """genwindow's TimeEmbedding.table: e[k, i] = sin(k ω_i), e[k, E/2 + i] = cos(k ω_i), ω_i = 10000^(−i/(E/2))."""
    half = width // 2
    k = torch.arange(count, dtype=torch.float64)[:, None]
    w = torch.pow(10000.0, -torch.arange(half, dtype=torch.float64) / half)[None, :]
    return torch.cat([torch.sin(k * w), torch.cos(k * w)], dim=1).float()


class Block(nn.Module):
    def __init__(self, w: int):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, h):
        return h + self.fc2(nn.functional.silu(self.fc1(nn.functional.silu(h))))


class ResidualMLP(nn.Module):
    """genwindow's MLPNetwork (no LayerNorm, no classes)."""

    def __init__(self, d: int, w: int, depth: int):
        super().__init__()
        self.register_buffer("table", step_table(T, E))
        self.inp, self.time1, self.time2 = nn.Linear(d, w), nn.Linear(E, w), nn.Linear(w, w)
        self.blocks = nn.ModuleList(Block(w) for _ in range(depth))
        self.out = nn.Linear(w, d)

    def forward(self, x, k):
        h = self.inp(x) + self.time2(nn.functional.silu(self.time1(self.table[k])))
        for b in self.blocks:
            h = b(h)
        return self.out(nn.functional.silu(h))


def genwindow_parameter_count(d: int, w: int, depth: int) -> int:
    """ParameterLayout of MLPNetwork: in, time1, time2, the blocks' fc1 and fc2, out (weights and biases)."""
    return d * w + w + E * w + w + w * w + w + depth * 2 * (w * w + w) + w * d + d


betas = torch.linspace(1e-4, 2e-2, T, dtype=torch.float64)  # β_1 … β_T
alpha_bar = torch.cat([torch.ones(1, dtype=torch.float64), torch.cumprod(1 - betas, 0)])
sqrt_ab, sqrt_1mab = alpha_bar.sqrt().float(), (1 - alpha_bar).sqrt().float()


class Trainer:
    def __init__(self, variant: str):
        torch.manual_seed(0)
        self.net = ResidualMLP(args.d, args.w, args.depth)
        self.data = torch.randn(1024, args.d)
        fused = variant.startswith("fused")
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3, **({"fused": True} if fused else {}))
        self.params = list(self.net.parameters())
        self.ema = [p.detach().clone() for p in self.params] if variant.endswith("-ema") else None
        self.order, self.cursor = torch.randperm(1024), 0

    def step(self):
        b = args.batch
        if self.cursor + b > 1024:
            self.order, self.cursor = torch.randperm(1024), 0
        rows = self.order[self.cursor:self.cursor + b]
        self.cursor += b
        k = torch.randint(1, T, (b,))
        eps = torch.randn(b, args.d)
        xk = sqrt_ab[k, None] * self.data[rows] + sqrt_1mab[k, None] * eps
        loss = nn.functional.mse_loss(self.net(xk, k), eps)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        if self.ema is not None:
            with torch.no_grad():
                torch._foreach_lerp_(self.ema, self.params, 1 - 0.999)


def rate(trainer: Trainer, seconds: float) -> float:
    """Median steps/s over 0.25-second batches for `seconds`."""
    rates, start = [], time.perf_counter()
    while time.perf_counter() - start < seconds or len(rates) < 3:
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 0.25:
            trainer.step()
            n += 1
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates)


def genwindow_rate(binary: str, case: str) -> float:
    command = [binary, "bench", "--filter", case, "--json", "--seconds", str(args.seconds),
               "--threads", str(args.threads)]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return next(c["median"] for c in json.loads(out.stdout)["cases"] if c["name"] == case)


variants = args.variants.split(",")
trainers = {v: Trainer(v) for v in variants}
count = sum(p.numel() for p in trainers[variants[0]].params)
expected = genwindow_parameter_count(args.d, args.w, args.depth)
assert count == expected, f"PyTorch network has {count} parameters, genwindow's {expected}"
case = f"ddpm_train_step_d{args.d}_w{args.w}_b{args.batch}"
print(f"torch {torch.__version__} ({torch.backends.cpu.get_cpu_capability()}), {args.threads} threads; "
      f"d={args.d} w={args.w} depth={args.depth} batch={args.batch}: {count} parameters (genwindow's: {expected})")
for t in trainers.values():
    for _ in range(5):
        t.step()

sides = [] if args.no_genwindow else [f"genwindow {b}" if len(binaries) > 1 else "genwindow" for b in binaries]
history = {v: [] for v in variants + sides}
for r in range(args.rounds):
    line = []
    for v in variants:
        history[v].append(rate(trainers[v], args.seconds))
        line.append(f"{v} {history[v][-1]:.1f}")
    for side, binary in zip(sides, binaries):
        history[side].append(genwindow_rate(binary, case))
        line.append(f"{side} {history[side][-1]:.1f}")
    load = os.getloadavg()[0]
    print(f"round {r + 1}: " + ", ".join(line) + f" steps/s (load {load:.2f})", flush=True)

print("median steps/s: " + ", ".join(f"{k} {statistics.median(v):.1f}" for k, v in history.items()))
for side in sides:
    for v in variants:
        ratios = [g / t for g, t in zip(history[side], history[v])]
        print(f"{side} ÷ torch {v}: median {statistics.median(ratios):.2f} "
              f"(rounds {min(ratios):.2f}–{max(ratios):.2f})")
