#!/usr/bin/env python3
"""Summarises the DDPM phenomenon runs in this folder: memorization onset versus n, labels versus none, and the
error of the live tau_mem forecast.

Usage: python3 analyze.py [RUN.jsonl ...]   (default: every *.jsonl here). Standard library only.
Onset measures per run: the tau_mem event (first evaluation where the lower end of mem_frac's 95% bootstrap
interval exceeds 0), and the first evaluation with mem_frac >= 0.05. Fits tau = a*n + b (least squares, R^2)
and the log-log exponent of tau against n over unconditional runs that reached the onset. The forecast check
leaves one n out and predicts its tau_mem from the runs at the other n (same labels, every seed) with the rule the
dashboard applies live (Phases' MemorizationForecast: tau_mem = c*n, c = exp(mean ln(tau_mem/n))).
"""
import glob
import json
import math
import os
import sys


def load(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    header = rows[0]
    metrics = [r for r in rows if r["type"] == "metrics"]
    events = {r["kind"]: r for r in rows if r["type"] == "event"}
    return header["config"], metrics, events


def first_step(metrics, predicate):
    for m in metrics:
        if predicate(m):
            return m["step"]
    return None


def fit(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    a = sxy / sxx
    b = my - a * mx
    ss_res = sum((y - a * x - b) ** 2 for x, y in zip(xs, ys))
    ss_tot = sum((y - my) ** 2 for y in ys)
    return a, b, 1 - ss_res / ss_tot if ss_tot > 0 else float("nan")


def main(paths):
    table = []
    for p in sorted(paths):
        c, metrics, events = load(p)
        last = metrics[-1]
        late = [m for m in metrics if m["step"] >= last["step"] // 2 and m.get("mem_frac") is not None]
        table.append({
            "late_mem": sum(m["mem_frac"] for m in late) / len(late) if late else float("nan"),
            "final_ci": (last.get("mem_frac_ci_low"), last.get("mem_frac_ci_high")),
            "run": os.path.basename(p), "n": c["n"], "labels": c.get("labels", "none"), "steps": last["step"],
            "tau_mem": events.get("tau_mem", {}).get("step"), "tau_gen": events.get("tau_gen", {}).get("step"),
            "mem05": first_step(metrics, lambda m: (m.get("mem_frac") or 0) >= 0.05),
            "final_mem": last.get("mem_frac"), "final_fid": last.get("fid"),
            "final_test": last.get("test_loss"), "final_train": last.get("train_loss"),
        })
    print("run                    n  labels   steps  tau_gen  tau_mem  f>=0.05  final f_mem  final FID  train/test loss")
    for r in table:
        print(f"{r['run']:<20} {r['n']:>4}  {r['labels']:<7} {r['steps']:>6}  {str(r['tau_gen']):>7}  {str(r['tau_mem']):>7}"
              f"  {str(r['mem05']):>7}  {r['final_mem']:>11.3f}  {r['final_fid']:>9.2f}  {r['final_train']:.3f}/{r['final_test']:.3f}")
    print("\nlabels at equal n and budget (final f_mem [95% CI]; mean f_mem over the second half of training):")
    for r in table:
        if r["labels"] == "none":
            continue
        base = [b for b in table if b["labels"] == "none" and b["n"] == r["n"] and b["steps"] == r["steps"]]
        for b in base:
            print(f"  n={r['n']}: {r['labels']} {r['final_mem']:.3f} [{r['final_ci'][0]:.3f}, {r['final_ci'][1]:.3f}] "
                  f"mean {r['late_mem']:.3f}  vs none {b['final_mem']:.3f} [{b['final_ci'][0]:.3f}, {b['final_ci'][1]:.3f}] "
                  f"mean {b['late_mem']:.3f}")
    print()
    for key in ["tau_mem", "mem05"]:
        pts = sorted((r["n"], r[key]) for r in table if r["labels"] == "none" and r[key] is not None)
        if len(pts) >= 3:
            ns, taus = [p[0] for p in pts], [p[1] for p in pts]
            a, b, r2 = fit(ns, taus)
            e, _, r2log = fit([math.log(x) for x in ns], [math.log(y) for y in taus])
            print(f"{key}: points {pts}; tau = {a:.1f}*n + {b:.0f} (R^2 {r2:.3f}); log-log exponent {e:.2f} (R^2 {r2log:.3f})")
        else:
            print(f"{key}: only {len(pts)} unconditional runs reached it: {pts}")
    print_forecast_errors(table)


def forecast_errors(table):
    """Leave-one-n-out forecasts: for each labels group and each n, c from the other n's runs, c*n against each
    run's own tau_mem. Returns rows (labels, n, run, forecast, actual, ratio)."""
    rows = []
    for labels in sorted({r["labels"] for r in table}):
        group = [r for r in table if r["labels"] == labels and r["tau_mem"]]
        for n in sorted({r["n"] for r in group}):
            others = [r for r in group if r["n"] != n]
            if not others:
                continue
            c = math.exp(sum(math.log(r["tau_mem"] / r["n"]) for r in others) / len(others))
            for r in group:
                if r["n"] == n:
                    rows.append((labels, n, r["run"], c * n, r["tau_mem"], c * n / r["tau_mem"]))
    return rows


def print_forecast_errors(table):
    rows = forecast_errors(table)
    if not rows:
        return
    print("\nlive tau_mem forecast, leave one n out (forecast = c*n from the other n's runs):")
    for labels, n, run, forecast, actual, ratio in rows:
        print(f"  {run:<22} {labels:<7} n={n:<4} forecast {forecast:>8.0f}  actual {actual:>6}  ratio {ratio:.2f}")
    logs = [abs(math.log(r[5])) for r in rows]
    print(f"  geometric mean error factor {math.exp(sum(logs) / len(logs)):.2f}; worst {math.exp(max(logs)):.2f}")


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    main(sys.argv[1:] or glob.glob(os.path.join(here, "*.jsonl")))
