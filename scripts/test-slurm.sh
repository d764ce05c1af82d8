#!/usr/bin/env bash
# Real Slurm integration test for `genwindow sweep --slurm --submit`.
#
# Installs Debian's slurm-wlm and munge if missing, starts munged (as the munge user, with the packaged key)
# unless one already answers, writes a slurm.conf naming this host as controller and only node, starts slurmctld
# and slurmd as daemons, submits a tiny RF sweep as a job array, waits for it, checks every cell's run file, and
# stops the daemons it started (by pid) on every exit path.
#
# Usage: scripts/test-slurm.sh [GENWINDOW_BINARY]   (default .build/release/genwindow; `make test-slurm` builds it)
set -euo pipefail
cd "$(dirname "$0")/.."

binary=$(realpath "${1:-.build/release/genwindow}")
[ -x "$binary" ] || { echo "test-slurm: no genwindow binary at $binary (run: swift build -c release)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "test-slurm: needs root (it starts slurmctld, slurmd and munged)" >&2; exit 1; }
scripts/install-deps.sh slurm-wlm munge

work=$(mktemp -d /tmp/genwindow-slurm.XXXXXX)
host=$(hostname -s)
started=()   # pid files of the daemons this script started

stop_daemons() {
    local status=$?
    for pidfile in "${started[@]}"; do
        if [ -s "$pidfile" ]; then
            pid=$(cat "$pidfile")
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
    done
    if [ "$status" -ne 0 ]; then
        echo "test-slurm: FAILED; logs kept in $work" >&2
        tail -n 20 "$work"/*.log 2>/dev/null >&2 || true
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap stop_daemons EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# munge: reuse a running munged, else start one as the munge user with the packaged key.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    [ -s /etc/munge/munge.key ] || { echo "test-slurm: /etc/munge/munge.key is missing" >&2; exit 1; }
    runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
    started+=(/run/munge/munged.pid)
    for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
    munge -n | unmunge >/dev/null
fi

mkdir -p "$work/state" "$work/spool" "$work/sweep"
cat > "$work/slurm.conf" <<EOF
ClusterName=genwindow-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/slurm.conf"

started+=("$work/slurmctld.pid")
slurmctld -f "$SLURM_CONF"
started+=("$work/slurmd.pid")
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)' && break; sleep 0.2; done
sinfo -h -o %T | grep -qE '^(idle|mixed|allocated)' || { echo "test-slurm: the node did not come up" >&2; sinfo >&2 || true; exit 1; }

t0=$(date +%s)
job=$("$binary" sweep --model rf --n 20,40 --p 40,80 --d 5 --out "$work/sweep" --slurm --partition debug \
      --cpus-per-task 1 --time 10 --submit)
echo "test-slurm: submitted job array $job"
for _ in $(seq 600); do
    [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break
    sleep 0.5
done
[ -z "$(squeue -h -j "$job" 2>/dev/null)" ] || { echo "test-slurm: job $job still queued or running after 5 minutes" >&2; exit 1; }

for n in 20 40; do
    for p in 40 80; do
        run="$work/sweep/n$n-p$p.jsonl"
        [ -s "$run" ] || { echo "test-slurm: missing run file $run" >&2; exit 1; }
        tail -n 1 "$run" | grep -q '"type":"end".*"reason":"completed"' \
            || { echo "test-slurm: $run did not end completed" >&2; exit 1; }
    done
done
"$binary" phase "$work/sweep" --json | grep -q '"cells":\[{' || { echo "test-slurm: phase could not read the sweep" >&2; exit 1; }
# Resubmitting a finished sweep has nothing left to do.
"$binary" sweep --model rf --n 20,40 --p 40,80 --d 5 --out "$work/sweep" --slurm --partition debug --time 10 \
    | grep -q "nothing to submit"
echo "test-slurm: ok — 4 array tasks completed in $(( $(date +%s) - t0 )) s"
