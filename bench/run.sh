#!/usr/bin/env bash
# bench/run.sh -- Goldcrest under load, against raw MINA SSHD baselines (also: ./goldcrest bench)
#
# Scenarios (BENCH_SCENARIO; default userinfo, `all` runs userinfo, stat, ls and jobs in turn):
#   userinfo  GET /status/cluster/userinfo. Baseline: `id` over exec channels.
#   stat      GET /filesystem/cluster/ops/stat?path=~USER/goldcrest-bench/stat.txt. Baselines:
#             "sftp lstat", one SFTP lstat of the same file over pooled SFTP channels (the least a raw
#             client can do), and "exec stat -c", the command line of Goldcrest's exec path for
#             ops/stat (`env LC_ALL=C stat -c '%f %i ...' -- PATH`) over exec channels.
#   ls        GET /filesystem/cluster/ops/ls?path=~USER/goldcrest-bench/ls (100 files). Baseline: the
#             SFTP round trips Goldcrest makes for it (lstat of the directory, openDir, readDir to the
#             end, close) over pooled SFTP channels, without the users-groups-by-id@openssh.com names
#             extension (Goldcrest caches its answers, so it is off its hot path too).
#   jobs      GET /compute/cluster/jobs (the user's own jobs, 24-hour window: Goldcrest runs one squeue
#             and one sacct at once over the user's pooled connection), BENCH_CLIENTS or else 200
#             clients. Goldcrest runs twice: with its job cache as configured by default
#             (clusters[].goldcrest.jobs_cache_ttl, 2 s: one squeue + sacct per user shared by the
#             requests arriving meanwhile and reused for 2 s) and with jobs_cache_ttl: 0 (every request
#             runs both). Baselines, over exec channels: "exec squeue" and "exec sacct", the very
#             command lines Goldcrest sends for the list (the same `timeout -k 2 5 'env'
#             'SLURM_TIME_FORMAT=%s' 'squeue' ...` line; checked against Goldcrest's own SqueueCommand
#             and SacctCommand by bench/GoldcrestJobCommands.java before the runs), and "exec squeue
#             + sacct", both at once on two channels per request, which is what Goldcrest does per
#             request without its cache. Slurm's own counters are read before and after each
#             measured run (bench/slurm-counts.sh: slurmctld's sdiag, slurmdbd's sacctmgr show
#             stats): the squeue RPCs (REQUEST_JOB_USER_INFO; 22.05's squeue --user sends one, plus
#             a REQUEST_FED_INFO and a REQUEST_PARTITION_INFO), all slurmctld RPCs, the sacct RPCs
#             (DBD_GET_JOBS_COND), and the CPU of slurmctld, slurmdbd and mariadbd. These counters
#             are the daemons' own: whatever else uses the cluster meanwhile is counted too. An sacct
#             that slurmdbd refuses sends no DBD_GET_JOBS_COND: slurmdbd opens one database connection
#             per client, and the local cluster's MariaDB allows 100 (max_connections), so beyond
#             about 100 sacct at once some fail ("Unable to connect to database"), in Goldcrest
#             (a scheduler error) and in the baselines (exit status 1) alike.
#             Fixture: as each of alice and bob (root: runuser + sbatch), JOBS_HELD (10) jobs
#             submitted with --hold (PENDING, JobHeldUser: no CPU, no node) and JOBS_DONE (3) short
#             ones that end before the runs (two `true`, one `exit 3`), so both squeue and sacct have
#             something to say; exactly these job ids are cancelled at exit. The user's earlier jobs
#             of the last 24 hours (earlier bench runs' included) are in sacct's answer too.
#   The stat and ls fixtures are each user's own, made by this script (as root: it chowns them to the
#   user) in ~USER/goldcrest-bench, marked as the bench's by a .goldcrest-bench-fixture file, and
#   removed at exit (BENCH_KEEP_FIXTURES=1 keeps them). A goldcrest-bench without the marker is not
#   the bench's: the run stops and leaves it alone.
#
# For each scenario:
#   1. Goldcrest, fresh (its own port, BENCH_PORT; once per configuration, twice for jobs), under
#      wrk: BENCH_CLIENTS connections (jobs: 200 unless BENCH_CLIENTS is set), half with
#      alice's token and path, half with bob's (bench/users.lua), BENCH_WARMUP seconds not counted,
#      then, once the machine is nearly idle again (wrk leaves the warm-up's requests in flight and
#      the server may still be answering them; at most 15 s), BENCH_DURATION seconds measured.
#      Errors: non-2xx responses plus socket errors (connect, read, write, timeout), both also shown
#      apart under the table.
#   2. The baselines, Goldcrest stopped (bench/src/.../SshBaseline.java): the same clients, warm-up
#      and duration as virtual threads in a closed loop, one connection per user (the static keys of
#      the cluster), TCP_NODELAY as in Goldcrest's pool. Exec baselines use at most
#      max_channels_per_connection channels per connection, SFTP baselines max_channels_per_connection/2
#      SFTP channels kept open, each lent to one request at a time, as Goldcrest's pool does.
#   3. A table of requests/s, p50/p99 latency, errors and the machine's CPU time per request (all of
#      it: the load generator, Goldcrest, sshd, the commands, Slurm, anything else running), and the
#      ratio Goldcrest/baseline of requests/s for each Goldcrest configuration and baseline; under it
#      the CPU use per request apart (server, wrk or baseline client, the rest of the machine: sshd,
#      sftp-server, the commands, anything else running). All tables go to
#      bench/results/latest.txt (plus a time-stamped copy; the raw wrk and baseline output beside it).
#
# Needs: the local cluster and mock IdP (./goldcrest services up, or cluster up + scripts/idp-mock.sh
# start) and wrk; root for the stat, ls and jobs scenarios. Builds target/goldcrest.jar and
# bench/target/goldcrest-bench.jar when missing or older than their sources.
#
# Env: BENCH_SCENARIO (userinfo|stat|ls|jobs|all; userinfo)
#      BENCH_DURATION (30)  BENCH_CLIENTS (500; jobs: 200)  BENCH_WARMUP (5)  BENCH_PORT (8100)
#      BENCH_THREADS (2, wrk threads; keep it even so the users split in half)
#      BENCH_PATH (userinfo scenario only: the path requested instead of /status/cluster/userinfo,
#                  e.g. /status/liveness to measure the HTTP layer alone)
#      BENCH_ONLY (goldcrest|baseline: run one side only)
#      BENCH_KEEP_FIXTURES (1: leave ~USER/goldcrest-bench in place at exit; the jobs are cancelled anyway)
#      BENCH_JAVA_OPTS (extra JVM options for the server, e.g. -XX:StartFlightRecording=filename=x.jfr)
#      GOLDCREST_STATE (/tmp/goldcrest; the bench state goes to $GOLDCREST_STATE/bench)
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
GC_TAG=bench
. "$BENCH_DIR/../scripts/lib.sh"
ROOT=$GOLDCREST_ROOT
cd "$ROOT"

SCENARIO=${BENCH_SCENARIO:-userinfo}
DURATION=${BENCH_DURATION:-30}
CLIENTS=${BENCH_CLIENTS:-500}
# The jobs scenario forks two Slurm clients per uncached request: fewer clients by default.
JOBS_CLIENTS=${BENCH_CLIENTS:-200}
WARMUP=${BENCH_WARMUP:-5}
PORT=${BENCH_PORT:-8100}
THREADS=${BENCH_THREADS:-2}
ONLY=${BENCH_ONLY:-}
USERS="alice bob"
LS_ENTRIES=100
FIXTURE_NAME=goldcrest-bench
FIXTURE_MARK=.goldcrest-bench-fixture
JOBS_HELD=10
JOBS_DONE=3
case "$SCENARIO" in
  userinfo|stat|ls|jobs) SCENARIOS=$SCENARIO ;;
  all) SCENARIOS="userinfo stat ls jobs" ;;
  *) gc_die "BENCH_SCENARIO must be userinfo, stat, ls, jobs or all (got '$SCENARIO')" ;;
esac
WITH_JOBS=0; case " $SCENARIOS " in *" jobs "*) WITH_JOBS=1 ;; esac
for v in DURATION CLIENTS WARMUP PORT THREADS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || gc_die "BENCH_$v must be a whole number (got '${!v}')"
done
[ "$DURATION" -ge 1 ] && [ "$CLIENTS" -ge 1 ] && [ "$THREADS" -ge 1 ] || gc_die "BENCH_DURATION, BENCH_CLIENTS and BENCH_THREADS must be >= 1"
[ "$CLIENTS" -ge "$THREADS" ] || THREADS=$CLIENTS
case "$ONLY" in ""|goldcrest|baseline) ;; *) gc_die "BENCH_ONLY must be goldcrest or baseline" ;; esac
[ -z "${BENCH_PATH:-}" ] || [ "$SCENARIO" = userinfo ] || gc_die "BENCH_PATH applies to the userinfo scenario only"
[ $((WARMUP + DURATION)) -le 240 ] || gc_warn "warm-up + duration > 240 s: the tokens (300 s, min_token_ttl 30 s) expire during the run"

CLUSTER_DIR=${GOLDCREST_CLUSTER_DIR:-$GOLDCREST_STATE/cluster}
BENCH_STATE=$GOLDCREST_STATE/bench
RESULTS=$BENCH_DIR/results
HOST_KEY=$CLUSTER_DIR/ssh/ssh_host_ed25519_key.pub
KEYS=$CLUSTER_DIR/ssh/keys
CONFIG=$BENCH_STATE/bench.yaml

find_jdk
command -v wrk >/dev/null || gc_die "wrk is not installed (the cluster script installs it: ./goldcrest cluster up)"
[ -f "$HOST_KEY" ] || gc_die "no cluster under $CLUSTER_DIR (./goldcrest services up)"
gc_port_busy 2222 || gc_die "the cluster's sshd (127.0.0.1:2222) is not running (./goldcrest cluster up)"
mkdir -p "$RESULTS"
(umask 022; mkdir -p "$GOLDCREST_STATE") && mkdir -p "$BENCH_STATE"

# ------------------------------------------------------------------ build when stale
# true when $1 is missing or a file under the other arguments is newer
stale() {
  local target=$1; shift
  [ -f "$target" ] || return 0
  [ -n "$(find "$@" -type f -newer "$target" -print -quit 2>/dev/null)" ]
}
# The jobs scenario also checks the baseline's command lines against Goldcrest's classes.
if { [ "$ONLY" != baseline ] || [ "$WITH_JOBS" = 1 ]; } && stale target/goldcrest.jar src/main pom.xml; then
  gc_log "target/goldcrest.jar is missing or older than its sources: ./goldcrest build"
  ./goldcrest build
fi
if [ "$ONLY" != goldcrest ] && stale bench/target/goldcrest-bench.jar bench/src bench/pom.xml; then
  gc_log "building the baseline (bench/pom.xml)"
  (cd bench && mvn -B -q -DskipTests package)
fi

# ------------------------------------------------------------------ the server's config
# The dev config rendered into the bench state (the shared dev.yaml is left alone), on our port; the
# baselines take Goldcrest's limits from it.
GOLDCREST_STATE=$BENCH_STATE GOLDCREST_CLUSTER_DIR=$CLUSTER_DIR ./goldcrest dev --render-only 2>/dev/null
sed -E '/^ *server: *\{/s/port: *[0-9]+/port: '"$PORT"'/' "$BENCH_STATE/dev.yaml" > "$CONFIG"
grep -Eq '^ *server: *\{.*port: *'"$PORT"'\}' "$CONFIG" || gc_die "cannot set the port in $CONFIG (goldcrest.server is no longer a one-line map?)"
SYSTEM=$(sed -nE 's/^- name: *"?([^"]+)"?.*/\1/p' "$CONFIG" | head -1)
CHANNELS=$(sed -nE 's/^ *max_channels_per_connection: *([0-9]+).*/\1/p' "$CONFIG" | head -1)
CMD_TIMEOUT=$(sed -nE 's/.*command_execution: *([0-9]+).*/\1/p' "$CONFIG" | head -1)
ACCOUNTS_TTL=$(sed -nE 's/^ *accounts_cache_ttl: *([0-9]+) *s?$/\1/p' "$CONFIG" | head -1)
[ -n "$SYSTEM" ] || gc_die "cannot read the cluster's name from $CONFIG"
CHANNELS=${CHANNELS:-64}
CMD_TIMEOUT=${CMD_TIMEOUT:-5}
# Goldcrest lends at most half of a connection's channels to SFTP.
SFTP_CHANNELS=$((CHANNELS / 2)); [ "$SFTP_CHANNELS" -ge 1 ] || SFTP_CHANNELS=1
# The jobs scenario's second configuration: no job cache (every request runs squeue and sacct).
NOCACHE_CONFIG=$BENCH_STATE/bench-nocache.yaml
if [ "$WITH_JOBS" = 1 ]; then
  grep -q 'jobs_cache_ttl' "$CONFIG" && gc_die "$CONFIG sets jobs_cache_ttl already: the jobs scenario measures the default and 0"
  # The cluster's own goldcrest map (indented two spaces, under `- name:`), not the top-level one.
  sed -E 's/^(  goldcrest:) *$/\1\n    jobs_cache_ttl: 0/' "$CONFIG" > "$NOCACHE_CONFIG"
  [ "$(grep -c '^    jobs_cache_ttl: 0$' "$NOCACHE_CONFIG")" = 1 ] || gc_die "cannot set jobs_cache_ttl in $NOCACHE_CONFIG (no cluster goldcrest map?)"
fi

# ------------------------------------------------------------------ helpers
# CPU ticks (user+system) of process $1
proc_ticks() { local s; s=$(cat "/proc/$1/stat") || return 1; s=${s##*) }; set -- $s; echo $(( ${12} + ${13} )); }
# "busy total" jiffies of the whole machine
machine_ticks() { awk '/^cpu /{t=0; for (i=2; i<=NF; i++) t+=$i; print t-$5-$6, t; exit}' /proc/stat; }
HZ=$(getconf CLK_TCK)
# CHILD_MS := CPU ms (user+system) of this shell's finished children. `times` must run in this very
# shell (not in $(...) or a pipe, whose subshell has children of its own).
children_cpu() {
  times > "$BENCH_STATE/times.txt"
  CHILD_MS=$(awk 'NR==2{ t=0; for (i=1; i<=2; i++) { split($i, a, /[ms]/); t += a[1]*60 + a[2] } printf "%d\n", t*1000 }' "$BENCH_STATE/times.txt")
}
# Waits (at most 15 s) until the machine is nearly idle (under 25 % busy over half a second): wrk's
# warm-up leaves its requests in flight in the server, which would still be answering them (and
# running their commands) in the measured run. Prints how long it waited, -1 if it gave up.
settle() {
  local t0 a b waited=0
  t0=$(date +%s%N)
  while :; do
    a=$(machine_ticks); sleep 0.5; b=$(machine_ticks)
    awk -v a="$a" -v b="$b" 'BEGIN{ split(a, x, " "); split(b, y, " "); exit !((y[1] - x[1]) * 4 < (y[2] - x[2])) }' && break
    [ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 15000 ] || { waited=-1; break; }
  done
  [ "$waited" = -1 ] || waited=$(( ($(date +%s%N) - t0) / 1000000 ))
  echo "$waited"
}
# TcpExt ListenOverflows: connections dropped because a listen (accept) queue was full, machine-wide
listen_overflows() { awk '/^TcpExt:/{ if (!n) { for (i = 1; i <= NF; i++) k[i] = $i; n = 1 } else for (i = 1; i <= NF; i++) if (k[i] == "ListenOverflows") print $i }' /proc/net/netstat; }

# wrk output -> "requests duration_us p50_us p99_us errors non2xx socket_errors"; uses the done() line
# of users.lua, else the text of --latency (units us, ms, s, m, h)
parse_wrk() {
  awk '
    function us(v,   n, u) {
      n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") return n; if (u == "ms") return n * 1000; if (u == "s") return n * 1e6
      if (u == "m") return n * 6e7; if (u == "h") return n * 3.6e9; return -1
    }
    /^WRK / {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); w[kv[1]] = kv[2] }
      done = 1
    }
    /^ +50% / { p50 = us($2) }
    /^ +99% / { p99 = us($2) }
    / requests in / { req = $1; d = $4; sub(/,$/, "", d); dur = us(d) }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(/,/, ""); sock = $4 + $6 + $8 + $10 }
    END {
      if (done) {
        sock = w["connect"] + w["read"] + w["write"] + w["timeout"]
        printf "%d %d %d %d %d %d %d\n", w["requests"], w["duration_us"], w["p50_us"], w["p99_us"], w["non2xx"] + sock, w["non2xx"], sock
      }
      else if (req != "") printf "%d %d %d %d %d %d %d\n", req, dur, p50, p99, non2xx + sock, non2xx, sock
      else exit 1
    }' "$1"
}

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    gc_stop_pid "goldcrest (bench, port $PORT)" "$SERVER_PID" 20
    SERVER_PID=""
  fi
}

# ------------------------------------------------------------------ fixtures (stat, ls)
FIXTURES=()
declare -A FIXTURE_OF=()
# ~USER/goldcrest-bench: stat.txt, ls/ with LS_ENTRIES empty files, all the user's
make_fixtures() {
  [ "$(id -u)" = 0 ] || gc_die "the stat and ls scenarios create their files in the users' homes and chown them: run as root"
  local u home dir group
  for u in $USERS; do
    home=$(getent passwd "$u" | cut -d: -f6)
    [ -n "$home" ] && [ -d "$home" ] || gc_die "no home directory for $u"
    dir=${home%/}/$FIXTURE_NAME
    if [ -e "$dir" ] || [ -L "$dir" ]; then
      if [ -L "$dir" ] || [ ! -d "$dir" ] || [ ! -f "$dir/$FIXTURE_MARK" ]; then
        gc_die "$dir exists and is not the bench's (no $FIXTURE_MARK in it): move it away"
      fi
      rm -rf -- "$dir"
    fi
    group=$(id -gn "$u")
    FIXTURES+=("$dir")
    FIXTURE_OF[$u]=$dir
    mkdir -m 755 -- "$dir"
    echo "made by Goldcrest's bench/run.sh; removed at its exit" > "$dir/$FIXTURE_MARK"
    echo "the file of the stat scenario of Goldcrest's bench/run.sh" > "$dir/stat.txt"
    mkdir -m 755 -- "$dir/ls"
    (cd "$dir/ls" && seq -f 'file-%03g' 0 $((LS_ENTRIES - 1)) | xargs touch --)
    chown -R -- "$u:$group" "$dir"
  done
  gc_log "fixtures: ${FIXTURES[*]} (stat.txt, ls/ with $LS_ENTRIES files)"
}
remove_fixtures() {
  local dir
  [ "${BENCH_KEEP_FIXTURES:-0}" != 1 ] || { [ ${#FIXTURES[@]} -eq 0 ] || gc_log "keeping the fixtures: ${FIXTURES[*]}"; return 0; }
  for dir in "${FIXTURES[@]}"; do
    if [ -d "$dir" ] && [ ! -L "$dir" ] && [ -f "$dir/$FIXTURE_MARK" ]; then rm -rf -- "$dir"; fi
  done
  FIXTURES=()
}

# ------------------------------------------------------------------ the jobs scenario: Slurm
export SLURM_CONF=${SLURM_CONF:-$CLUSTER_DIR/slurm/slurm.conf}
SLURM_PIDS=""   # "slurmctld slurmdbd mariadbd", - for one not found
slurm_setup() {
  local d pid
  [ "$(id -u)" = 0 ] || gc_die "the jobs scenario submits jobs as alice and bob (runuser) and reads slurmdbd's stats: run as root"
  [ -f "$SLURM_CONF" ] || gc_die "no Slurm configuration at $SLURM_CONF (./goldcrest services up)"
  for d in slurmctld slurmdbd mariadbd; do
    pid=$(gc_pid_get "$CLUSTER_DIR/run/$d.pid") || pid=-
    SLURM_PIDS+="${SLURM_PIDS:+ }$pid"
  done
  gc_log "Slurm daemons (slurmctld slurmdbd mariadbd): $SLURM_PIDS"
}
# "SLURM squeue=N ctld=N sacct=N slurmctld_ticks=N slurmdbd_ticks=N mariadbd_ticks=N"
slurm_counts() { # shellcheck disable=SC2086
  "$BENCH_DIR/slurm-counts.sh" $SLURM_PIDS
}

JOB_IDS=()               # every job the bench submitted: exactly these are cancelled at exit
declare -A JOB_IDS_OF=() # user -> that user's bench jobs
# One job as USER; prints its id. A clean environment: the job does not inherit root's.
submit_as() { # USER SBATCH-ARGS...
  local u=$1 home id; shift
  home=$(getent passwd "$u" | cut -d: -f6)
  id=$(runuser -u "$u" -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$home" SLURM_CONF="$SLURM_CONF" \
    sbatch --parsable --chdir=/tmp --output=/dev/null --time=10 "$@") || return 1
  id=${id%%;*}
  [[ $id =~ ^[0-9]+$ ]] || return 1
  echo "$id"
}
make_job_fixtures() {
  local u i id done_ids=()
  for u in $USERS; do
    JOB_IDS_OF[$u]=""
    for i in $(seq "$JOBS_HELD"); do
      id=$(submit_as "$u" --hold --job-name="goldcrest-bench-held-$i" --wrap 'sleep 600') || gc_die "sbatch --hold as $u failed"
      JOB_IDS+=("$id"); JOB_IDS_OF[$u]+="${JOB_IDS_OF[$u]:+ }$id"
    done
    for i in $(seq "$JOBS_DONE"); do
      # The last one fails (exit 3), so the history has a FAILED job with its exit code.
      if [ "$i" -lt "$JOBS_DONE" ]; then set -- true; else set -- 'exit 3'; fi
      id=$(submit_as "$u" --job-name="goldcrest-bench-done-$i" --wrap "$1") || gc_die "sbatch as $u failed"
      JOB_IDS+=("$id"); JOB_IDS_OF[$u]+=" $id"; done_ids+=("$id")
    done
  done
  gc_log "jobs: ${JOB_IDS[*]} ($JOBS_HELD held + $JOBS_DONE short per user: ${USERS// /, })"
  # The short ones must have ended (and reached slurmdbd) before the runs.
  local ids; ids=$(IFS=,; echo "${done_ids[*]}")
  gc_wait_until 120 "the short bench jobs to end" jobs_ended "$ids" || gc_die "the short bench jobs ($ids) did not end within 120 s: is the node busy?"
}
# true when none of the jobs $1 (comma-separated) is in squeue and sacct has an end state for each
jobs_ended() {
  [ -z "$(squeue --noheader --jobs="$1" --format=%i 2>/dev/null)" ] || return 1
  [ "$(sacct --noheader --allusers -X --jobs="$1" --format=State --parsable2 2>/dev/null | grep -cEv 'PENDING|RUNNING|REQUEUED|SUSPENDED|^$')" \
    = "$(tr ',' '\n' <<< "$1" | wc -l)" ]
}
cancel_job_fixtures() {
  [ ${#JOB_IDS[@]} -gt 0 ] || return 0
  # The ended ones are refused quietly; only the bench's own ids are named.
  scancel -- "${JOB_IDS[@]}" 2>/dev/null || true
  gc_log "cancelled the bench's jobs ${JOB_IDS[*]}"
  JOB_IDS=()
}

cleanup() { stop_server; cancel_job_fixtures; remove_fixtures; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ scenarios
# Sets, for scenario $1: LABEL, URL_DESC, PATHS (request path per user, in USERS order), FS_PATHS
# (comma-separated file paths per user, for the baselines), BASELINES (baseline ops), EXPECT (entries),
# VARIANTS (Goldcrest's configurations to run: default, or cache and nocache for jobs).
scenario() {
  local u
  PATHS=() FS_PATHS="" EXPECT=-1 VARIANTS=default
  case $1 in
    userinfo)
      local p=${BENCH_PATH:-/status/$SYSTEM/userinfo}
      for u in $USERS; do PATHS+=("$p"); done
      LABEL="GET ${p##*/}" URL_DESC="GET $p"
      BASELINES="id" ;;
    stat|ls)
      local file
      if [ "$1" = stat ]; then file=stat.txt; else file=ls; fi
      for u in $USERS; do
        PATHS+=("/filesystem/$SYSTEM/ops/$1?path=${FIXTURE_OF[$u]}/$file")
        FS_PATHS+=${FS_PATHS:+,}${FIXTURE_OF[$u]}/$file
      done
      LABEL="GET ops/$1" URL_DESC="GET /filesystem/$SYSTEM/ops/$1?path=~USER/$FIXTURE_NAME/$file"
      if [ "$1" = stat ]; then BASELINES="sftp-lstat exec-stat"; else BASELINES="sftp-ls"; EXPECT=$LS_ENTRIES; fi ;;
    jobs)
      for u in $USERS; do PATHS+=("/compute/$SYSTEM/jobs"); done
      LABEL="GET jobs" URL_DESC="GET /compute/$SYSTEM/jobs"
      BASELINES="squeue sacct squeue-sacct" VARIANTS="cache nocache" ;;
  esac
}
# Goldcrest's configurations: the bench config as rendered, or the jobs scenario's without job cache
variant_config() { if [ "$1" = nocache ]; then echo "$NOCACHE_CONFIG"; else echo "$CONFIG"; fi; }
variant_name() {
  case $1 in
    default) echo "goldcrest" ;;
    cache) echo "goldcrest (cache)" ;;
    nocache) echo "goldcrest (no cache)" ;;
  esac
}
variant_label() {
  case $1 in
    default) echo "goldcrest $LABEL" ;;
    cache) echo "goldcrest $LABEL, jobs_cache_ttl default" ;;
    nocache) echo "goldcrest $LABEL, jobs_cache_ttl 0" ;;
  esac
}
variant_about() {
  case $1 in
    cache) echo "jobs_cache_ttl not set: the default (2 s), one squeue + sacct per user shared by the requests meanwhile and reused for that long" ;;
    nocache) echo "jobs_cache_ttl: 0, every request runs squeue and sacct at once ($NOCACHE_CONFIG)" ;;
  esac
}
baseline_label() {
  case $1 in
    id) echo "ssh exec id" ;;
    exec-stat) echo "ssh exec stat -c" ;;
    sftp-lstat) echo "sftp lstat" ;;
    sftp-ls) echo "sftp ls (no names ext.)" ;;
    squeue) echo "ssh exec squeue" ;;
    sacct) echo "ssh exec sacct" ;;
    squeue-sacct) echo "ssh exec squeue + sacct" ;;
  esac
}
baseline_about() {
  case $1 in
    id) echo "\`id\`, the command line Goldcrest runs, over at most $CHANNELS exec channels per user" ;;
    exec-stat) echo "the \`env LC_ALL=C stat -c ...\` command line of Goldcrest's exec path for ops/stat, over at most $CHANNELS exec channels per user" ;;
    sftp-lstat) echo "one SFTP lstat per request over $SFTP_CHANNELS pooled SFTP channels per user (the least a raw client can do)" ;;
    sftp-ls) echo "Goldcrest's SFTP round trips (lstat, openDir, readDir to the end, close) over $SFTP_CHANNELS pooled SFTP channels per user;" \
      "no users-groups-by-id@openssh.com names extension (Goldcrest caches its answers)" ;;
    squeue) echo "Goldcrest's squeue command line for the user's job list (\`timeout -k 2 $CMD_TIMEOUT 'env' 'SLURM_TIME_FORMAT=%s' 'squeue' '--all' '--noheader' '--user=USER' '--Format=...'\`), over at most $CHANNELS exec channels per user" ;;
    sacct) echo "Goldcrest's sacct command line for the user's job list (\`timeout -k 2 $CMD_TIMEOUT 'env' 'SLURM_TIME_FORMAT=%s' 'sacct' '--starttime=now-24hours' ...\`), over at most $CHANNELS exec channels per user" ;;
    squeue-sacct) echo "both at once per request, each on its own exec channel (at most $CHANNELS per user), as Goldcrest without its job cache" ;;
  esac
}

# The baseline's squeue and sacct lines must be the very ones Goldcrest's classes make.
check_job_commands() {
  local ours theirs
  # shellcheck disable=SC2086
  ours=$("$JAVA_HOME/bin/java" -cp target/goldcrest.jar "$BENCH_DIR/GoldcrestJobCommands.java" "$CMD_TIMEOUT" $USERS) \
    || gc_die "bench/GoldcrestJobCommands.java failed (against target/goldcrest.jar)"
  theirs=$("$JAVA_HOME/bin/java" -jar bench/target/goldcrest-bench.jar --op squeue-sacct --print-commands true \
    --users "${USERS// /,}" --command-timeout "$CMD_TIMEOUT") || gc_die "the baseline's --print-commands failed"
  if [ "$ours" != "$theirs" ]; then
    diff <(echo "$ours") <(echo "$theirs") | cat -A >&2
    gc_die "the baseline's squeue/sacct command lines (>) differ from Goldcrest's (<): bring SshBaseline up to date"
  fi
  gc_log "the baseline's squeue and sacct command lines are Goldcrest's"
}

# Slurm's counters between two slurm_counts lines over REQUESTS requests and SECONDS:
#   SLURM_RATES := "squeue/s sacct/s" for the table; SLURM_NOTE := the counts and daemons' CPU
slurm_delta() { # BEFORE AFTER REQUESTS SECONDS
  local out
  out=$(awk -v a="$1" -v b="$2" -v n="$3" -v s="$4" -v hz="$HZ" '
    function parse(line, m,   k, i, kv) { k = split(line, f, " "); for (i = 2; i <= k; i++) { split(f[i], kv, "="); m[kv[1]] = kv[2] } }
    function d(key) { return (key in A && key in B && A[key] >= 0 && B[key] >= A[key]) ? B[key] - A[key] : -1 }
    function count(key, per,   v) {
      v = d(key); if (v < 0) return "n/a"
      return sprintf("%d (%.1f/s%s)", v, v / s, per && n > 0 ? sprintf(", %.3f per request", v / n) : "")
    }
    function cpu(key,   v) { v = d(key); return v < 0 || n <= 0 ? "n/a" : sprintf("%.3f", v * 1000 / hz / n) }
    BEGIN {
      parse(a, A); parse(b, B)
      q = d("squeue"); c = d("sacct")
      printf "%s %s\n", (q < 0 ? "n/a" : sprintf("%.1f", q / s)), (c < 0 ? "n/a" : sprintf("%.1f", c / s))
      printf "Slurm in the window: squeue RPCs %s, slurmctld RPCs in all %s, sacct RPCs %s;", count("squeue", 1), count("ctld", 0), count("sacct", 1)
      printf " CPU ms/request of slurmctld %s, slurmdbd %s, mariadbd %s\n", cpu("slurmctld_ticks"), cpu("slurmdbd_ticks"), cpu("mariadbd_ticks")
    }')
  SLURM_RATES=$(head -1 <<< "$out")
  SLURM_NOTE=$(tail -1 <<< "$out")
}

# ------------------------------------------------------------------ 1. Goldcrest under wrk
declare -A GC_LINE=() GC_NOTE=() GC_CPU=() GC_RATES=()
run_goldcrest() { # SCENARIO VARIANT
  local log=$BENCH_STATE/server-$1.log out=$RESULTS/wrk-$STAMP-$1.txt url config
  if [ "$2" != default ]; then log=$BENCH_STATE/server-$1-$2.log out=$RESULTS/wrk-$STAMP-$1-$2.txt; fi
  config=$(variant_config "$2")
  gc_port_busy "$PORT" && gc_die "127.0.0.1:$PORT is in use (BENCH_PORT=... to choose another)"
  # The probe below fills the accounts cache; a run that outlives it measures a refresh under load.
  if [ "$1" = userinfo ] && [ "${PATHS[0]}" = "/status/$SYSTEM/userinfo" ] && [ $((WARMUP + DURATION + 5)) -ge "${ACCOUNTS_TTL:-60}" ]; then
    gc_warn "warm-up + duration reach accounts_cache_ttl (${ACCOUNTS_TTL:-60} s): the run includes a refresh of the accounts cache"
  fi

  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -jar target/goldcrest.jar "$config" > "$log" 2>&1 &
  SERVER_PID=$!
  gc_log "goldcrest pid $SERVER_PID on 127.0.0.1:$PORT ($(variant_name "$2"), config $config, log $log)"
  url=http://127.0.0.1:$PORT
  if ! gc_wait_until 60 "goldcrest" gc_http_ok "$url/status/liveness"; then
    tail -20 "$log" >&2; gc_die "goldcrest did not answer on $url within 60 s"
  fi

  # Fresh tokens (they live 300 s), and one request per user that must succeed.
  local u i id token tokens=() users=($USERS) code entries listed=""
  for u in "${users[@]}"; do
    token=$(./goldcrest token "$u") || gc_die "no token for $u (is the mock IdP running?)"
    tokens+=("$token")
  done
  for i in "${!tokens[@]}"; do
    code=$(curl -s -o "$BENCH_STATE/probe.json" -w '%{http_code}' --max-time 20 -H "Authorization: Bearer ${tokens[$i]}" "$url${PATHS[$i]}")
    [ "$code" = 200 ] || { cat "$BENCH_STATE/probe.json" >&2; echo >&2; gc_die "GET ${PATHS[$i]} as ${users[$i]} answered $code"; }
    if [ "$EXPECT" -ge 0 ]; then
      entries=$(grep -o '"name":' "$BENCH_STATE/probe.json" | wc -l)
      [ "$entries" -eq "$EXPECT" ] || gc_die "GET ${PATHS[$i]} as ${users[$i]} listed $entries entries, not $EXPECT"
    fi
    if [ "$1" = jobs ]; then
      # Every job the bench submitted as this user, held or ended, is in the list.
      for id in ${JOB_IDS_OF[${users[$i]}]}; do
        grep -q "\"jobId\":\"$id\"" "$BENCH_STATE/probe.json" || gc_die "GET ${PATHS[$i]} as ${users[$i]} does not list the bench's job $id"
      done
      listed+="${listed:+, }${users[$i]} $(grep -o '"jobId":' "$BENCH_STATE/probe.json" | wc -l) jobs ($(wc -c < "$BENCH_STATE/probe.json") bytes)"
    fi
  done
  export BENCH_TOKENS="${tokens[*]}" BENCH_PATHS="${PATHS[*]}"

  local wrk_args=(-t "$RUN_THREADS" -c "$RUN_CLIENTS" --timeout 10s -s "$BENCH_DIR/users.lua")
  if [ "$WARMUP" -gt 0 ]; then
    gc_log "warm-up: wrk ${WARMUP}s, $RUN_CLIENTS connections, $URL_DESC"
    wrk "${wrk_args[@]}" -d "${WARMUP}s" "$url${PATHS[0]}" > "$BENCH_STATE/wrk-warmup.txt" 2>&1 || { cat "$BENCH_STATE/wrk-warmup.txt" >&2; gc_die "wrk failed"; }
    local settled; settled=$(settle)
    if [ "$settled" = -1 ]; then gc_warn "the machine was still busy 15 s after the warm-up: the run starts anyway"
    else gc_log "the machine settled ${settled} ms after the warm-up"; fi
  fi
  gc_log "run: wrk ${DURATION}s, $RUN_CLIENTS connections ($RUN_THREADS threads), $URL_DESC"
  local t0 m0 t1 m1 o0 o1 c0 c1 s0="" s1="" line
  [ "$1" != jobs ] || s0=$(slurm_counts)
  t0=$(proc_ticks "$SERVER_PID"); m0=$(machine_ticks); o0=$(listen_overflows); children_cpu; c0=$CHILD_MS
  wrk "${wrk_args[@]}" -d "${DURATION}s" --latency "$url${PATHS[0]}" > "$out" 2>&1 || { cat "$out" >&2; gc_die "wrk failed"; }
  t1=$(proc_ticks "$SERVER_PID"); m1=$(machine_ticks); o1=$(listen_overflows); children_cpu; c1=$CHILD_MS
  [ "$1" != jobs ] || s1=$(slurm_counts)
  cat "$out" >&2
  line=$(parse_wrk "$out") || gc_die "cannot read wrk's output ($out)"
  GC_LINE[$2]=$line
  GC_CPU[$2]=$(awk -v m0="$m0" -v m1="$m1" -v hz="$HZ" -v line="$line" 'BEGIN{
    split(line, r, " "); split(m0, a, " "); split(m1, b, " ")
    printf "%.3f\n", (r[1] > 0 ? (b[1] - a[1]) * 1000 / hz / r[1] : 0)}')
  GC_NOTE[$2]=$(awk -v t="$((t1 - t0))" -v hz="$HZ" -v m0="$m0" -v m1="$m1" -v w="$((c1 - c0))" -v line="$line" 'BEGIN{
    split(line, r, " "); n = r[1]
    split(m0, a, " "); split(m1, b, " ")
    server = t * 1000 / hz; rest = (b[1] - a[1]) * 1000 / hz - server - w; if (rest < 0) rest = 0
    printf "errors %d non-2xx + %d socket; server JVM CPU %.3f ms/request, wrk %.3f, rest of the machine %.3f; machine CPU busy %.0f%%",
      r[6], r[7], (n > 0 ? server / n : 0), (n > 0 ? w / n : 0), (n > 0 ? rest / n : 0), 100 * (b[1] - a[1]) / (b[2] - a[2])}')
  [ -z "$o0" ] || GC_NOTE[$2]+="; TCP listen-queue overflows $((o1 - o0))"
  [ -z "$listed" ] || GC_NOTE[$2]+=$'\n'"           lists at the start: $listed"
  if [ -n "$s0" ]; then
    slurm_delta "$s0" "$s1" "$(cut -d' ' -f1 <<< "$line")" "$(awk -v d="$(cut -d' ' -f2 <<< "$line")" 'BEGIN{print d / 1e6}')"
    GC_RATES[$2]=$SLURM_RATES
    GC_NOTE[$2]+=$'\n'"           $SLURM_NOTE"
  fi
  if [ "$(echo "$line" | cut -d' ' -f6)" -gt 0 ]; then
    # The access log (one line per request, warm-up included) tells which statuses they were.
    GC_NOTE[$2]+=$'\n'"           non-2xx statuses in the server's access log (all its requests, warm-up included): $(grep -o '"status":[45][0-9][0-9]' "$log" \
      | sort | uniq -c | awk '{sub(/"status":/, "", $2); printf "%s%d x %s", (NR > 1 ? ", " : ""), $1, $2}') (see $log)"
  fi
  stop_server
}

# ------------------------------------------------------------------ 2. the SSH baselines
declare -A BASE_LINE=() BASE_NOTE=() BASE_CPU=() BASE_RATES=()
run_baseline() { # SCENARIO OP
  local out=$RESULTS/baseline-$STAMP-$1-$2.txt args=()
  [ -z "$FS_PATHS" ] || args+=(--paths "$FS_PATHS")
  [ "$EXPECT" -lt 0 ] || args+=(--expect-entries "$EXPECT")
  # jobs: at least the held jobs in squeue's answer, the ended ones in sacct's; Slurm's counters at
  # the start and the end of the measured window.
  [ "$1" != jobs ] || args+=(--min-jobs "$JOBS_HELD" --min-sacct-lines "$JOBS_DONE" --window-command "$(printf '%q ' "$BENCH_DIR/slurm-counts.sh" $SLURM_PIDS)")
  gc_log "baseline $2: ${WARMUP}s warm-up + ${DURATION}s, $RUN_CLIENTS clients"
  "$JAVA_HOME/bin/java" -jar bench/target/goldcrest-bench.jar --host-key "$HOST_KEY" --keys "$KEYS" \
    --users "${USERS// /,}" --clients "$RUN_CLIENTS" --channels "$CHANNELS" --sftp-channels "$SFTP_CHANNELS" \
    --duration "$DURATION" --warmup "$WARMUP" --command-timeout "$CMD_TIMEOUT" --op "$2" --clk-tck "$HZ" "${args[@]}" \
    > "$out" 2>&1 || { cat "$out" >&2; gc_die "the baseline failed"; }
  cat "$out" >&2
  BASE_LINE[$2]=$(awk '/^BASELINE /{for (i = 2; i <= NF; i++) { split($i, kv, "="); w[kv[1]] = kv[2] }
      printf "%d %d %d %d %d\n", w["requests"], w["duration_s"] * 1e6, w["p50_us"], w["p99_us"], w["errors"]; found = 1}
      END{exit !found}' "$out") || gc_die "cannot read the baseline's output ($out)"
  BASE_CPU[$2]=$(sed -nE 's/^BASELINE .*client_cpu_ms_per_req=([0-9.]+) rest_cpu_ms_per_req=([0-9.]+).*/\1 \2/p' "$out" | awk '{printf "%.3f\n", $1 + $2}')
  BASE_NOTE[$2]=$(sed -nE 's/^BASELINE .*client_cpu_ms_per_req=([0-9.]+) rest_cpu_ms_per_req=([0-9.]+) machine_busy_pct=([0-9]+).*/client JVM CPU \1 ms\/request, rest of the machine \2; machine CPU busy \3%/p' "$out")
  if [ "$1" = jobs ]; then
    local s0 s1
    s0=$(sed -n 's/^WINDOW_START //p' "$out") s1=$(sed -n 's/^WINDOW_END //p' "$out")
    slurm_delta "$s0" "$s1" "$(cut -d' ' -f1 <<< "${BASE_LINE[$2]}")" "$DURATION"
    BASE_RATES[$2]=$SLURM_RATES
    BASE_NOTE[$2]+=$'\n'"           $SLURM_NOTE"
  fi
}

# ------------------------------------------------------------------ 3. the tables
row() { # LABEL "requests duration_us p50_us p99_us errors" CPU_MS_PER_REQUEST [EXTRA COLUMNS]
  local label=$1 cpu=$3 extra=${4:-}; set -- $2
  awk -v l="$label" -v n="$1" -v d="$2" -v p50="$3" -v p99="$4" -v e="$5" -v cpu="$cpu" -v x="$extra" \
    'BEGIN{ split(x, c, " "); more = ""; for (i = 1; i in c; i++) more = more sprintf(" %10s", c[i])
      printf "%-48s %12.1f %10.1f %10.1f %8d %10s%s\n", l, (d > 0 ? n / (d / 1e6) : 0), p50 / 1000, p99 / 1000, e, cpu, more}'
}
rps() { set -- $1; awk -v n="$1" -v d="$2" 'BEGIN{print (d > 0 ? n / (d / 1e6) : 0)}'; }
table() { # SCENARIO
  local op v more=""
  [ "$1" != jobs ] || more=$(printf ' %10s %10s' "squeue/s" "sacct/s")
  echo "== $1: $URL_DESC, $RUN_CLIENTS clients"
  printf '%-48s %12s %10s %10s %8s %10s%s\n' "" "requests/s" "p50 ms" "p99 ms" "errors" "CPU ms/req" "$more"
  for v in $VARIANTS; do
    [ -z "${GC_LINE[$v]:-}" ] || row "$(variant_label "$v")" "${GC_LINE[$v]}" "${GC_CPU[$v]}" "${GC_RATES[$v]:-}"
  done
  for op in $BASELINES; do
    [ -z "${BASE_LINE[$op]:-}" ] || row "baseline $(baseline_label "$op")" "${BASE_LINE[$op]}" "${BASE_CPU[$op]:-n/a}" "${BASE_RATES[$op]:-}"
  done
  for v in $VARIANTS; do
    [ -n "${GC_LINE[$v]:-}" ] || continue
    for op in $BASELINES; do
      [ -z "${BASE_LINE[$op]:-}" ] || awk -v l="ratio $(variant_name "$v")/$(baseline_label "$op")" -v g="$(rps "${GC_LINE[$v]}")" -v b="$(rps "${BASE_LINE[$op]}")" \
        'BEGIN{printf "%-48s %12.3f\n", l, (b > 0 ? g / b : 0)}'
    done
  done
  echo
  echo "CPU ms/req: the whole machine's busy CPU time over the measured run per request (load generator included)"
  for v in $VARIANTS; do
    [ -z "${GC_NOTE[$v]:-}" ] || echo "$(variant_name "$v"): ${GC_NOTE[$v]}"
    [ -z "${GC_NOTE[$v]:-}" ] || [ "$v" = default ] || echo "           $(variant_about "$v")"
  done
  for op in $BASELINES; do
    [ -z "${BASE_LINE[$op]:-}" ] || echo "baseline $(baseline_label "$op"): $(baseline_about "$op")"
    [ -z "${BASE_NOTE[$op]:-}" ] || echo "           ${BASE_NOTE[$op]}"
  done
  echo
}

STAMP=$(date +%Y%m%d-%H%M%S)
REPORT=$RESULTS/result-$STAMP.txt
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || commit+=" + uncommitted changes"
{
  echo "Goldcrest benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')  commit $commit  scenario $SCENARIO"
  echo "clients per run in each table, half alice, half bob; ${WARMUP}s warm-up + ${DURATION}s per run; $(nproc) CPUs shared by wrk or the baseline, Goldcrest, sshd and the cluster; JDK $GC_JAVA_MAJOR"
  echo
} > "$REPORT"

if [ "$WITH_JOBS" = 1 ]; then
  slurm_setup
  [ "$ONLY" = goldcrest ] || check_job_commands
fi
case " $SCENARIOS " in *" stat "*|*" ls "*) make_fixtures ;; esac
[ "$WITH_JOBS" = 0 ] || make_job_fixtures
for s in $SCENARIOS; do
  scenario "$s"
  RUN_CLIENTS=$CLIENTS; [ "$s" != jobs ] || RUN_CLIENTS=$JOBS_CLIENTS
  RUN_THREADS=$THREADS; [ "$RUN_CLIENTS" -ge "$RUN_THREADS" ] || RUN_THREADS=$RUN_CLIENTS
  GC_LINE=() GC_NOTE=() GC_CPU=() GC_RATES=() BASE_LINE=() BASE_NOTE=() BASE_CPU=() BASE_RATES=()
  if [ "$ONLY" != baseline ]; then
    for v in $VARIANTS; do run_goldcrest "$s" "$v"; done
  fi
  if [ "$ONLY" != goldcrest ]; then
    for op in $BASELINES; do run_baseline "$s" "$op"; done
  fi
  if [ "$s" = "$SCENARIO" ]; then
    table "$s" >> "$REPORT"
  else
    # Several scenarios: each table as it is done, all of them again at the end.
    table "$s" | tee -a "$REPORT" >&2
  fi
done
cat "$REPORT"
cp "$REPORT" "$RESULTS/latest.txt"
