#!/usr/bin/env bash
# scripts/cluster-down.sh [DIR] [--purge]     (DIR defaults to $GOLDCREST_STATE/cluster)
#
# Stops what scripts/cluster-up.sh DIR started, and nothing else:
#   - only PIDs recorded in DIR/run/<name>.pid ("PID STARTTIME EXE"), and only if that PID still has
#     the recorded start time and executable (guards against PID reuse);
#   - plus their own leftovers: the process tree under our sshd (per-connection sshd + user sessions),
#     and slurmstepd processes whose environment has SLURM_CONF=DIR/slurm/slurm.conf (slurmd
#     double-forks them) together with their job processes.
# Never kills by name. Running jobs are cancelled through this cluster's own scancel first.
# --purge: afterwards delete DIR (keys, state, database). Test users are left in place.
set -uo pipefail

GC_TAG=cluster-down
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DIR="" PURGE=0
for a in "$@"; do
  case "$a" in
    --purge) PURGE=1 ;;
    -*) echo "usage: $0 [DIR] [--purge]" >&2; exit 2 ;;
    *) [ -z "$DIR" ] || { echo "usage: $0 [DIR] [--purge]" >&2; exit 2; }; DIR=$a ;;
  esac
done
DIR=${DIR:-$GOLDCREST_STATE/cluster}
[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 2; }
case "$DIR" in /*) ;; *) DIR="$(pwd)/$DIR" ;; esac
DIR=${DIR%/}
purge() { # only ever delete a directory that cluster-up.sh created (marker file)
  if [ -f "$DIR/.goldcrest-cluster" ] && [ "$DIR" != / ]; then rm -rf "$DIR"; echo "[cluster-down] purged $DIR"
  else echo "[cluster-down] not purging $DIR: no .goldcrest-cluster marker"; fi
}
[ -d "$DIR/run" ] || { echo "[cluster-down] nothing to do: $DIR/run does not exist"; [ $PURGE = 1 ] && purge; exit 0; }
export SLURM_CONF="$DIR/slurm/slurm.conf"
T_START=$(date +%s%N)
el() { local ms=$(( ($(date +%s%N) - T_START) / 1000000 )); printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100)); }

# Process helpers (start-time checks, descendants, TERM-then-KILL) come from lib.sh.
recorded_pid() { gc_pid_get "$DIR/run/$1.pid"; }
stop_named() { # name
  local pid
  if pid=$(recorded_pid "$1"); then gc_stop_pid "$1" "$pid"; else echo "[cluster-down] $1 not running"; fi
  rm -f "$DIR/run/$1.pid"
}

# 1. cancel jobs while slurmctld is still there (lets slurmstepd clean up the user processes)
#    (LC_DOWN_NO_CANCEL=1 skips this; only for testing the fallback in step 3)
if [ "${LC_DOWN_NO_CANCEL:-0}" != 1 ] && recorded_pid slurmctld >/dev/null; then
  jobs=$(timeout 10 squeue -h -o %A 2>/dev/null | tr '\n' ' ')
  if [ -n "${jobs// /}" ]; then
    echo "[cluster-down $(el)] cancelling jobs: $jobs"
    timeout 10 scancel $jobs 2>/dev/null
    for i in $(seq 100); do
      [ -z "$(timeout 5 squeue -h -t R,CG,S -o %A 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
fi

# 2. slurmrestd, sshd (with its connection/session tree)
stop_named slurmrestd
if pid=$(recorded_pid sshd); then
  tree=$(gc_descendants "$pid")
  gc_stop_pid sshd "$pid"
  for c in $tree; do
    [ -d "/proc/$c" ] && gc_stop_pid "sshd child" "$c" 5
  done
fi
rm -f "$DIR/run/sshd.pid"

# 3. slurmd, then any slurmstepd it spawned (slurmd double-forks them, so they are not its children;
#    they are recognised by SLURM_CONF=DIR/slurm/slurm.conf in their environment) and their job processes
stop_named slurmd
STEPD=$(readlink -f /usr/sbin/slurmstepd)
for d in /proc/[0-9]*; do
  [ "$(readlink "$d/exe" 2>/dev/null)" = "$STEPD" ] || continue
  tr '\0' '\n' < "$d/environ" 2>/dev/null | grep -qxF "SLURM_CONF=$DIR/slurm/slurm.conf" || continue
  sp=${d#/proc/}
  for c in $(gc_descendants "$sp"); do [ -d "/proc/$c" ] && gc_stop_pid "job process" "$c" 5; done
  gc_stop_pid slurmstepd "$sp" 1   # slurmstepd ignores SIGTERM: SIGKILL follows after 1 s
done

# 4. controller, accounting, database, munge
stop_named slurmctld
stop_named slurmdbd
stop_named mariadbd
stop_named munged

left=$(ls "$DIR/run"/*.pid 2>/dev/null | grep -v '\.own\.pid$')
[ -n "$left" ] && echo "[cluster-down] warning: unknown pid files left: $left"
rm -f "$DIR"/run/*.own.pid
[ $PURGE = 1 ] && purge
echo "[cluster-down $(el)] done"
