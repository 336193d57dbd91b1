#!/usr/bin/env bash
# bench/slurm-counts.sh CTLD_PID DBD_PID MARIADB_PID -- one line of Slurm counters for bench/run.sh's
# jobs scenario, read before and after a measured run (by run.sh itself, or by the baseline's
# --window-command):
#   SLURM squeue=N ctld=N sacct=N slurmctld_ticks=N slurmdbd_ticks=N mariadbd_ticks=N
# squeue: slurmctld's REQUEST_JOB_USER_INFO + REQUEST_JOB_INFO RPCs (sdiag): in Slurm 22.05 a squeue
#         --user=U sends one REQUEST_JOB_USER_INFO (besides a REQUEST_FED_INFO and a
#         REQUEST_PARTITION_INFO), a squeue for all users one REQUEST_JOB_INFO.
# ctld:   all RPCs slurmctld counted, but sdiag's own REQUEST_STATS_INFO.
# sacct:  slurmdbd's DBD_GET_JOBS_COND RPCs (sacctmgr show stats), one per sacct.
# *_ticks: CPU ticks (user+system) of the daemon with that pid, -1 when it is not given or gone.
# The RPC counts are the daemons' own, since they started: they count every client of the cluster,
# not only the bench. Any count that cannot be read is -1. Needs SLURM_CONF and, for sacctmgr show
# stats, root (or the SlurmUser).
set -uo pipefail

rpc_counts() { # sdiag|sacctmgr output on stdin -> "NAME COUNT" lines of the by-message-type section
  awk '/statistics by message type/ { on = 1; next } /statistics by user/ { on = 0 }
       on && /count:/ { c = $0; sub(/.*count:/, "", c); split(c, a, " "); print $1, a[1] }'
}
ticks() {
  local s
  [ -n "${1:-}" ] && [ "$1" != - ] && s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo -1; return; }
  s=${s##*) }; set -- $s; echo $(( ${12} + ${13} ))
}

# A loaded slurmdbd may refuse a connection (its database's max_connections): a few more tries.
for try in 1 2 3 4 5; do
  ctld=$(sdiag 2>/dev/null | rpc_counts)
  [ -z "$ctld" ] || break
  sleep 0.1
done
for try in 1 2 3 4 5; do
  dbd=$(sacctmgr -n show stats 2>/dev/null | rpc_counts)
  [ -z "$dbd" ] || break
  sleep 0.1
done
if [ -n "$ctld" ]; then
  squeue=$(awk '$1 == "REQUEST_JOB_USER_INFO" || $1 == "REQUEST_JOB_INFO" { n += $2 } END { print n + 0 }' <<< "$ctld")
  ctld_all=$(awk '$1 != "REQUEST_STATS_INFO" { n += $2 } END { print n + 0 }' <<< "$ctld")
else
  squeue=-1 ctld_all=-1
fi
if [ -n "$dbd" ]; then
  sacct=$(awk '$1 == "DBD_GET_JOBS_COND" { n += $2 } END { print n + 0 }' <<< "$dbd")
else
  sacct=-1
fi
echo "SLURM squeue=$squeue ctld=$ctld_all sacct=$sacct slurmctld_ticks=$(ticks "${1:-}") slurmdbd_ticks=$(ticks "${2:-}") mariadbd_ticks=$(ticks "${3:-}")"
