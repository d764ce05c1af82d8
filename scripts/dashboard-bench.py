#!/usr/bin/env python3
"""Dashboard cost measurements, through tmux (release binary; nothing here is part of the test suite).

  overhead [--runs N] [ARGS...]  training steps/s of the same run headless and live in a tmux pane, alternating,
                                 N times each; steps/s = last metrics step / its time_s from the run file; also
                                 user and system CPU seconds of the whole process (/usr/bin/time). Medians.
  bytes [ARGS...]                bytes the live dashboard writes to its terminal per second (tmux pipe-pane), and
                                 the CPU seconds of each thread of the live process at the end of training.
  idle [--seconds S] RUN         CPU of an open replay that nobody touches: utime+stime over S seconds (/proc).

ARGS are extra `genwindow train` options (default: the default run). Run from the package root after
`swift build -c release --product genwindow`; GENWINDOW=path overrides the binary.
"""
import json, os, statistics, subprocess, sys, tempfile, time

BIN = os.path.abspath(os.environ.get("GENWINDOW", ".build/release/genwindow"))
SOCKET = f"gw-bench-{os.getpid()}"
TICKS = os.sysconf("SC_CLK_TCK")


def tmux(*args, check=True):
    return subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args], check=check, capture_output=True, text=True).stdout


def run_stats(path):
    """(steps/s, ended) from a run file: the last metrics record's step over its time_s."""
    step = seconds = None
    ended = False
    with open(path) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if r.get("type") == "metrics" and r.get("time_s"):
                step, seconds = r["step"], r["time_s"]
            ended = ended or r.get("type") == "end"
    return (step / seconds if step and seconds else None), ended


def cpu_times(path):
    with open(path) as f:
        user, system = f.read().split()
    return float(user), float(system)


def headless(folder, args):
    out, times = f"{folder}/headless.jsonl", f"{folder}/headless.time"
    subprocess.run(["/usr/bin/time", "-f", "%U %S", "-o", times, BIN, "train", "--headless", "--force",
                    "--out", out, *args], check=True, stdout=subprocess.DEVNULL)
    return run_stats(out)[0], cpu_times(times)


def pane(folder, command, width=120, height=36):
    script = f"{command}; echo done > {folder}/rc; sleep 600"
    tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-s", "t", "sh", "-c", script)


def live(folder, args, capture=None):
    out, times = f"{folder}/live.jsonl", f"{folder}/live.time"
    for p in (out, f"{folder}/rc"):
        if os.path.exists(p):
            os.remove(p)
    pane(folder, f"env TERM=xterm-256color /usr/bin/time -f '%U %S' -o {times} {BIN} train --force --out {out} " + " ".join(args))
    start = time.monotonic()
    if capture:
        tmux("pipe-pane", "-o", "-t", "t", f"cat >> {capture}")
    while not (os.path.exists(out) and run_stats(out)[1]):
        time.sleep(0.2)
    elapsed = time.monotonic() - start
    if capture:
        print_thread_times()
    tmux("send-keys", "-t", "t", "q")
    deadline = time.monotonic() + 5
    while not os.path.exists(f"{folder}/rc"):
        if time.monotonic() > deadline:  # the end record had not reached the dashboard: it asks to stop training
            tmux("send-keys", "-t", "t", "y")
            deadline = time.monotonic() + 5
        time.sleep(0.1)
    tmux("kill-server", check=False)
    return run_stats(out)[0], cpu_times(times), elapsed


def genwindow_pid():
    """The genwindow process under the pane's shell (and /usr/bin/time)."""
    pid = tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip()
    while True:
        with open(f"/proc/{pid}/comm") as f:
            if f.read().strip() == "genwindow":
                return pid
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pid = f.read().split()[0]


def cpu_seconds(stat_path):
    with open(stat_path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def print_thread_times():
    pid = genwindow_pid()
    for tid in sorted(os.listdir(f"/proc/{pid}/task"), key=int):
        with open(f"/proc/{pid}/task/{tid}/comm") as f:
            name = f.read().strip()
        print(f"  thread {tid} {name}: {cpu_seconds(f'/proc/{pid}/task/{tid}/stat'):.2f} CPU s")


def overhead(argv):
    runs = 3
    if argv[:1] == ["--runs"]:
        runs, argv = int(argv[1]), argv[2:]
    folder = tempfile.mkdtemp(prefix="gw-bench-")
    h, l = [], []
    for i in range(runs):
        h.append(headless(folder, argv))
        l.append(live(folder, argv)[:2])
        print(f"run {i + 1}: headless {h[-1][0]:.1f} steps/s (user {h[-1][1][0]:.2f} s, sys {h[-1][1][1]:.2f} s)   "
              f"live {l[-1][0]:.1f} steps/s (user {l[-1][1][0]:.2f} s, sys {l[-1][1][1]:.2f} s)   ratio {l[-1][0] / h[-1][0]:.3f}",
              flush=True)
    med = lambda xs: statistics.median(xs)
    print(f"median steps/s: headless {med([x[0] for x in h]):.1f}, live {med([x[0] for x in l]):.1f}, "
          f"live/headless {med([b[0] / a[0] for a, b in zip(h, l)]):.3f} (median of per-pair ratios)")
    print(f"median CPU s: headless user {med([x[1][0] for x in h]):.2f} sys {med([x[1][1] for x in h]):.2f}; "
          f"live user {med([x[1][0] for x in l]):.2f} sys {med([x[1][1] for x in l]):.2f}")


def bytes_per_second(argv):
    folder = tempfile.mkdtemp(prefix="gw-bench-")
    capture = f"{folder}/terminal.bytes"
    open(capture, "wb").close()
    rate, _, elapsed = live(folder, argv, capture=capture)
    size = os.path.getsize(capture)
    print(f"{size} bytes to the terminal in {elapsed:.1f} s of live training: {size / elapsed / 1000:.1f} KB/s "
          f"({rate:.1f} steps/s)")


def idle(argv):
    seconds = 30.0
    if argv[:1] == ["--seconds"]:
        seconds, argv = float(argv[1]), argv[2:]
    folder = tempfile.mkdtemp(prefix="gw-bench-")
    pane(folder, f"env TERM=xterm-256color {BIN} replay {os.path.abspath(argv[0])}")
    time.sleep(3)
    stat = f"/proc/{genwindow_pid()}/stat"
    before, t0 = cpu_seconds(stat), time.monotonic()
    time.sleep(seconds)
    used, wall = cpu_seconds(stat) - before, time.monotonic() - t0
    tmux("send-keys", "-t", "t", "q")
    time.sleep(0.5)
    tmux("kill-server", check=False)
    print(f"idle replay: {used:.2f} CPU s in {wall:.1f} s = {100 * used / wall:.2f}% of one core")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("overhead", "bytes", "idle"):
        sys.exit(__doc__)
    {"overhead": overhead, "bytes": bytes_per_second, "idle": idle}[sys.argv[1]](sys.argv[2:])
