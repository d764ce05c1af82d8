#!/usr/bin/env python3
"""Where one benchmark case spends its time: perf samples by thread, grouped into kinds of work.

    python3 scripts/profile-case.py ddpm_train_step_d64_w256_b128 [--threads N] [--seconds S] [--binary PATH]

Runs `genwindow bench --filter CASE --alone` under `perf record` (sampling starts after the case's setup, so
parameter initialization and data generation are left out) and prints, for each thread, the share of its samples
in each kind of work, plus every thread's samples relative to the main thread's (the one that runs the case, so
its samples stand for wall time):

- gemm: OpenBLAS's kernels and packing;
- blas sync: OpenBLAS threads waiting for each other (sched_yield and the scheduler);
- element-wise: genwindow's own arithmetic (activations, optimizer, EMA, norms, losses, residuals);
- copies: memcpy, memmove, memset;
- allocation: malloc, free, reference counting;
- other: everything else (Swift runtime, dispatch, the kernel's other work).

Issue 9 asks for "overhead (allocation, copies, dispatch) under 20% of step time": that is copies + allocation +
other of the step's thread.
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

KINDS = ["gemm", "blas sync", "element-wise", "copies", "allocation", "other"]


def kind(dso: str, symbol: str) -> str:
    if "openblas" in dso:
        return "blas sync" if "yield" in symbol or "wait" in symbol else "gemm"
    if "sched_yield" in symbol or symbol in ("__schedule", "schedule", "do_syscall_64", "x64_sys_call",
                                             "finish_task_switch.isra.0", "do_sched_yield"):
        return "blas sync"
    if re.search(r"mem(cpy|move|set)", symbol):
        return "copies"
    if re.search(r"malloc|free|swift_(allocObject|retain|release|dealloc)", symbol):
        return "allocation"
    if dso == "genwindow" and (symbol.startswith("gw_") or "Diffusion" in symbol or "Metrics" in symbol
                               or "RandomFeatures" in symbol or "NumericCore" in symbol):
        return "element-wise"
    return "other"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--delay-ms", type=int, default=3000, help="sampling starts this long after launch")
    parser.add_argument("--binary", default=".build/release/genwindow")
    args = parser.parse_args()

    command = [args.binary, "bench", "--filter", args.case, "--alone", "--seconds", str(args.seconds)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    with tempfile.TemporaryDirectory() as folder:
        data = os.path.join(folder, "perf.data")
        subprocess.run(["perf", "record", "-q", "-F", "1999", "-D", str(args.delay_ms), "-o", data, "--"] + command,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "pid,dso,sym", "--stdio",
                                 "-g", "none", "--percent-limit", "0"], check=True, capture_output=True, text=True)
    threads: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    line = re.compile(r"^\s*([\d.]+)%\s+(\d+):\S+\s+(\S+)\s+\[[.k]\]\s+(.*?)\s*$")
    for text in report.stdout.splitlines():
        m = line.match(text)
        if m:
            share, tid, dso, symbol = float(m[1]), m[2], m[3], m[4]
            threads[tid][kind(dso, symbol)] += share
    if not threads:
        print(f"profile-case: perf recorded no samples (did the case finish within --delay-ms {args.delay_ms}? "
              "some cases stop after a fixed number of repetitions: lower it)", file=sys.stderr)
        return 1
    main = threads[min(threads, key=int)]  # the process's first thread runs the case
    main_total = sum(main.values())
    print(f"{args.case}: {' '.join(command[1:])}")
    print(f"{'thread':>8} {'vs step':>8} " + " ".join(f"{k:>12}" for k in KINDS))
    for tid, counts in sorted(threads.items(), key=lambda kv: int(kv[0])):
        total = sum(counts.values())
        if total < 0.5:
            continue
        print(f"{tid:>8} {total / main_total:>8.2f} " + " ".join(f"{100 * counts[k] / total:>11.1f}%" for k in KINDS))
    overhead = sum(main[k] for k in ("copies", "allocation", "other")) / main_total
    print(f"overhead of the step's thread (copies + allocation + other): {100 * overhead:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
