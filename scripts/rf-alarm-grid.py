#!/usr/bin/env python3
"""The RF model's live tau_mem announcements against its final one, per run of a sweep folder (issue 21, item 1).

For every run: the provisional tau_mem events in the order written (τ of each), the final tau_mem (the last
tau_mem event, non-provisional), the header's theory τ, the τ at which the test loss first stood 10% above its
running minimum, and the τ of the run's `test_loss_rise` warning event. A provisional announcement is a false
alarm when it is more than a factor 2 from the final τ; the warning is late when it is missing or comes after
that 10% rise. Usage: rf-alarm-grid.py DIR [--n LIST] [--p LIST] (standard library only).
"""
import argparse
import glob
import json
import os


def load(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    return rows[0]["config"], rows[1:]


def summarise(path):
    config, rows = load(path)
    events = [r for r in rows if r.get("type") == "event" and r.get("kind") == "tau_mem"]
    provisional = [e["tau"] for e in events if e.get("provisional") and e.get("tau") is not None]
    final = next((e for e in reversed(events) if not e.get("provisional")), None)
    theory = next((e.get("tau_mem_theory") for e in events if e.get("tau_mem_theory")), None)
    rise, best = None, float("inf")
    for r in rows:
        if r.get("type") != "metrics" or r.get("test_loss") is None or r.get("tau") is None:
            continue
        best = min(best, r["test_loss"])
        if rise is None and r["test_loss"] > 1.1 * best:
            rise = r["tau"]
    warning = next((r.get("tau") for r in rows if r.get("type") == "event" and r.get("kind") == "test_loss_rise"), None)
    return {"n": config.get("n"), "p": config.get("p"), "provisional": provisional,
            "final": final.get("tau") if final else None, "theory": theory, "rise10": rise, "warning": warning}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--n", default="")
    ap.add_argument("--p", default="")
    a = ap.parse_args()
    ns = {int(x) for x in a.n.split(",") if x}
    ps = {int(x) for x in a.p.split(",") if x}
    rows = [summarise(f) for f in sorted(glob.glob(os.path.join(a.folder, "*.jsonl")))]
    rows = [r for r in rows if (not ns or r["n"] in ns) and (not ps or r["p"] in ps)]
    rows.sort(key=lambda r: (r["p"], r["n"]))
    print("   p     n  first provisional  worst factor  final tau_mem  theory  test +10% at  warning at  false alarm  late")
    alarms = late = 0
    for r in rows:
        first = r["provisional"][0] if r["provisional"] else None
        worst = max((max(t / r["final"], r["final"] / t) for t in r["provisional"]), default=None) if r["final"] else None
        false_alarm = worst is not None and worst > 2
        is_late = r["rise10"] is not None and (r["warning"] is None or r["warning"] > r["rise10"])
        alarms += false_alarm
        late += is_late
        fmt = lambda x: "-" if x is None else f"{x:.4g}"
        print(f"{r['p']:>5} {r['n']:>5}  {fmt(first):>17}  {fmt(worst):>12}  {fmt(r['final']):>13}  {fmt(r['theory']):>6}"
              f"  {fmt(r['rise10']):>12}  {fmt(r['warning']):>10}  {'yes' if false_alarm else 'no':>11}  {'yes' if is_late else 'no':>4}")
    print(f"{len(rows)} runs: {alarms} with a provisional tau_mem more than 2x from the final one; "
          f"{late} without a test_loss_rise warning by the time the test loss was 10% above its minimum")


if __name__ == "__main__":
    main()
