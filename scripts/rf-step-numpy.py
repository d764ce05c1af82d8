#!/usr/bin/env python3
"""NumPy's Gram-form RF GD step beside genwindow's (BENCHMARKS.md, "RF in U's eigenbasis").

  python3 scripts/rf-step-numpy.py [--d 25] [--p 1600] [--seconds 2] [--threads N]

Times A <- A - lr*(alpha*A@U + beta*Vt) in float32 (d x p times p x p, the step genwindow's `--solver gram`
takes and `rf_gd_step_gram_dD_pP` times), on the same kind of U (W Wᵀ/d + I), and prints the median steps/s
over 0.2-second batches. Then runs `genwindow bench --filter CASE --json` (release binary; GENWINDOW=path
overrides it) for the Gram-form and eigenbasis steps at the same d, p and prints their ratios to NumPy's.
--threads N gives both NumPy's OpenBLAS and genwindow's N threads (default: each library's own default, every
core); on a busy machine multi-threaded BLAS spins and NumPy's rate swings by 10x, one thread is steadier.
"""
import argparse, json, os, statistics, subprocess, time

ap = argparse.ArgumentParser()
ap.add_argument("--d", type=int, default=25)
ap.add_argument("--p", type=int, default=1600)
ap.add_argument("--seconds", type=float, default=2.0)
ap.add_argument("--threads", type=int)
args = ap.parse_args()
if args.threads:
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # read when NumPy loads OpenBLAS

import numpy as np  # noqa: E402  (after the thread count is set)

d, p, delta = args.d, args.p, 0.18

rng = np.random.default_rng(2)
w = rng.standard_normal((p, d))
u = (w @ w.T / d + np.eye(p)).astype(np.float32)
vt = rng.standard_normal((d, p)).astype(np.float32)
a = np.zeros((d, p), dtype=np.float32)
work = np.empty_like(a)
alpha = np.float32(2 * delta / (d * p))
beta = np.float32(2 * np.sqrt(delta) / (d * np.sqrt(p)))
lr = np.float32(0.9 * d * p / (delta * (1 + p / d * 1.5)))


def step():
    """A <- A - lr*(alpha*A@U + beta*Vt), in place."""
    np.matmul(a, u, out=work)
    np.multiply(work, alpha, out=work)
    np.add(work, beta * vt, out=work)
    np.multiply(work, lr, out=work)
    np.subtract(a, work, out=a)


step()
rates, start = [], time.perf_counter()
while time.perf_counter() - start < args.seconds or len(rates) < 5:
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < 0.2:
        step()
        n += 1
    rates.append(n / (time.perf_counter() - t0))
numpy_rate = statistics.median(rates)
threads = args.threads or "default"
print(f"numpy {np.__version__} gram step d={d} p={p}, threads {threads}: {numpy_rate:.1f} steps/s "
      f"(median of {len(rates)} batches)")

binary = os.path.abspath(os.environ.get("GENWINDOW", ".build/release/genwindow"))
for name in (f"rf_gd_step_gram_d{d}_p{p}", f"rf_gd_step_d{d}_p{p}"):
    command = [binary, "bench", "--filter", name, "--json"] + (["--threads", str(args.threads)] if args.threads else [])
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    for case in json.loads(out.stdout)["cases"]:
        if case["name"] == name:
            rate = case["median"]
            print(f"genwindow {name}: {rate:.1f} steps/s = {rate / numpy_rate:.1f}x numpy's gram step")
