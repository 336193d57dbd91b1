#!/usr/bin/env bash
# bench/run.sh -- Goldcrest under load, against raw MINA SSHD baselines (also: ./goldcrest bench)
#
# Scenarios (BENCH_SCENARIO; default userinfo, `all` runs userinfo, stat, ls and jobs in turn; transfer
# is a scenario of its own, described last):
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
#   transfer  A file of BENCH_TRANSFER_SIZE random bytes (1 GiB) in and out of the cluster through S3
#             staging (docs/transfer.md), as alice, BENCH_TRANSFER_RUNS times (3). Goldcrest runs with
#             the bench config plus staging_poll_interval: 1s (the upload job looks for the client's
#             object every second, not every 10) and tasks.watch_interval: 1s (not the dev config's 2 s).
#             Upload: POST transfer/upload, the client's part PUTs (sequential, as pyfirecrest;
#             BENCH_TRANSFER_PARALLEL at a time otherwise; each part read with dd and sent with curl,
#             its URL on curl's --config stdin), the CompleteMultipartUpload, then GET /tasks/{id}
#             every 0.25 s until the task ends. Download: POST transfer/download, the task polled
#             likewise, then one curl GET of its downloadUrl. A watcher (as root, every 50 ms, no
#             forks) reads the job's output log and looks at the target and at the staged object in
#             S3Proxy's data directory, so the phases come out apart: the client's PUTs, S3Proxy's
#             joining of the parts (until the object appears), the upload job's wait for the object
#             (its staging poll), its S3 -> cluster copy, and the wait until the task says succeeded
#             once the file is complete on disk (the job's end and the task watcher); for a download,
#             the job's start, its multipart upload to S3, the wait for the task and the client's GET.
#             The CPU time of the machine, of S3Proxy and of Goldcrest's JVM is given for each leg.
#             The SHA-256 of every copy is checked against the local file's (on the cluster as root).
#             Baselines, Goldcrest stopped: one curl PUT and one GET of the same file straight to
#             S3Proxy (SigV4, a bucket of the bench's own), and scp up and down over the cluster's sshd
#             as alice. The table gives MiB/s (2^20 bytes per second of wall time), median and all
#             runs, and the ratios Goldcrest/curl-to-S3 and Goldcrest/scp, each for the time until the
#             task says succeeded and for the time with the job's end seen at once. Files live in
#             ~alice/goldcrest-bench (the fixture below), the local ones under $GOLDCREST_STATE/bench;
#             every file, job log, staged object and the bench's bucket is removed at exit. Refuses to
#             start with less than max(4 GiB, what the run needs) free on a file system it writes to.
#             Not part of `all`.
#   The stat, ls and transfer fixtures are each user's own, made by this script (as root: it chowns them to the
#   user) in ~USER/goldcrest-bench, marked as the bench's by a .goldcrest-bench-fixture file, and
#   removed at exit (BENCH_KEEP_FIXTURES=1 keeps them). A goldcrest-bench without the marker is not
#   the bench's: the run stops and leaves it alone.
#
# For each scenario but transfer:
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
# start) and wrk; root for the stat, ls, jobs and transfer scenarios; for transfer also S3Proxy
# (./goldcrest services up), jq, scp and sha256sum, and no wrk. Builds target/goldcrest.jar and
# bench/target/goldcrest-bench.jar when missing or older than their sources.
#
# Env: BENCH_SCENARIO (userinfo|stat|ls|jobs|all|transfer; userinfo)
#      BENCH_DURATION (30)  BENCH_CLIENTS (500; jobs: 200)  BENCH_WARMUP (5)  BENCH_PORT (8100)
#      BENCH_THREADS (2, wrk threads; keep it even so the users split in half)
#      BENCH_PATH (userinfo scenario only: the path requested instead of /status/cluster/userinfo,
#                  e.g. /status/liveness to measure the HTTP layer alone)
#      BENCH_ONLY (goldcrest|baseline: run one side only)
#      BENCH_KEEP_FIXTURES (1: leave ~USER/goldcrest-bench in place at exit; the jobs are cancelled anyway)
#      BENCH_JAVA_OPTS (extra JVM options for the server, e.g. -XX:StartFlightRecording=filename=x.jfr)
#      BENCH_TRANSFER_SIZE (1073741824 bytes)  BENCH_TRANSFER_RUNS (3)
#      BENCH_TRANSFER_PARALLEL (1: the upload's part PUTs one after the other; N: N at a time)
#      GOLDCREST_S3_ENDPOINT (http://127.0.0.1:9000; must be the config's private_url)
#      GOLDCREST_S3_ACCESS_KEY (goldcrest)  GOLDCREST_S3_SECRET_KEY (goldcrest-staging-secret)
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
  transfer) SCENARIOS=transfer ;;
  *) gc_die "BENCH_SCENARIO must be userinfo, stat, ls, jobs, all or transfer (got '$SCENARIO')" ;;
esac
WITH_JOBS=0; case " $SCENARIOS " in *" jobs "*) WITH_JOBS=1 ;; esac
for v in DURATION CLIENTS WARMUP PORT THREADS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || gc_die "BENCH_$v must be a whole number (got '${!v}')"
done
[ "$DURATION" -ge 1 ] && [ "$CLIENTS" -ge 1 ] && [ "$THREADS" -ge 1 ] || gc_die "BENCH_DURATION, BENCH_CLIENTS and BENCH_THREADS must be >= 1"
[ "$CLIENTS" -ge "$THREADS" ] || THREADS=$CLIENTS
case "$ONLY" in ""|goldcrest|baseline) ;; *) gc_die "BENCH_ONLY must be goldcrest or baseline" ;; esac
[ -z "${BENCH_PATH:-}" ] || [ "$SCENARIO" = userinfo ] || gc_die "BENCH_PATH applies to the userinfo scenario only"
[ "$SCENARIO" = transfer ] || [ $((WARMUP + DURATION)) -le 240 ] || gc_warn "warm-up + duration > 240 s: the tokens (300 s, min_token_ttl 30 s) expire during the run"

CLUSTER_DIR=${GOLDCREST_CLUSTER_DIR:-$GOLDCREST_STATE/cluster}
BENCH_STATE=$GOLDCREST_STATE/bench
RESULTS=$BENCH_DIR/results
HOST_KEY=$CLUSTER_DIR/ssh/ssh_host_ed25519_key.pub
KEYS=$CLUSTER_DIR/ssh/keys
CONFIG=$BENCH_STATE/bench.yaml

find_jdk
[ "$SCENARIO" = transfer ] || command -v wrk >/dev/null || gc_die "wrk is not installed (the cluster script installs it: ./goldcrest cluster up)"
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
if [ "$ONLY" != goldcrest ] && [ "$SCENARIO" != transfer ] && stale bench/target/goldcrest-bench.jar bench/src bench/pom.xml; then
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
# The transfer scenario's: the upload job looks for the client's object every second (default 10 s)
# and the task watcher runs every second (the dev config: 2 s), so neither hides the transfer.
XFER_CONFIG=$BENCH_STATE/bench-transfer.yaml
if [ "$SCENARIO" = transfer ]; then
  grep -q 'staging_poll_interval' "$CONFIG" && gc_die "$CONFIG sets staging_poll_interval already: the transfer scenario sets it to 1s"
  sed -E -e 's/^(  goldcrest:) *$/\1\n    staging_poll_interval: 1s/' \
      -e '/^ *tasks: *\{/s/watch_interval: *[0-9a-z]+/watch_interval: 1s/' "$CONFIG" > "$XFER_CONFIG"
  [ "$(grep -c '^    staging_poll_interval: 1s$' "$XFER_CONFIG")" = 1 ] || gc_die "cannot set staging_poll_interval in $XFER_CONFIG (no cluster goldcrest map?)"
  grep -Eq '^ *tasks: *\{.*watch_interval: 1s' "$XFER_CONFIG" || gc_die "cannot set tasks.watch_interval in $XFER_CONFIG (goldcrest.tasks is no longer a one-line map with watch_interval?)"
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
start_server() { # CONFIG LOG DESCRIPTION
  local url=http://127.0.0.1:$PORT
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -jar target/goldcrest.jar "$1" > "$2" 2>&1 &
  SERVER_PID=$!
  gc_log "goldcrest pid $SERVER_PID on 127.0.0.1:$PORT ($3, config $1, log $2)"
  if ! gc_wait_until 60 "goldcrest" gc_http_ok "$url/status/liveness"; then
    tail -20 "$2" >&2; gc_die "goldcrest did not answer on $url within 60 s"
  fi
}
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    gc_stop_pid "goldcrest (bench, port $PORT)" "$SERVER_PID" 20
    SERVER_PID=""
  fi
}

# ------------------------------------------------------------------ fixtures (stat, ls)
FIXTURES=()
declare -A FIXTURE_OF=()
# ~USER/goldcrest-bench: stat.txt, ls/ with LS_ENTRIES empty files, all the user's; for USERS, or
# the users given
make_fixtures() {
  [ "$(id -u)" = 0 ] || gc_die "the stat, ls and transfer scenarios create their files in the users' homes and chown them: run as root"
  local u home dir group users=${*:-$USERS}
  for u in $users; do
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

# ------------------------------------------------------------------ the transfer scenario
XFER_SIZE=${BENCH_TRANSFER_SIZE:-1073741824}
XFER_RUNS=${BENCH_TRANSFER_RUNS:-3}
XFER_PARALLEL=${BENCH_TRANSFER_PARALLEL:-1}
XFER_USER=alice
XFER_TIMEOUT=1800     # seconds a task may take before the run stops
S3_ENDPOINT=${GOLDCREST_S3_ENDPOINT:-http://127.0.0.1:9000}
S3_ACCESS_KEY=${GOLDCREST_S3_ACCESS_KEY:-goldcrest}
S3_SECRET_KEY=${GOLDCREST_S3_SECRET_KEY:-goldcrest-staging-secret}
XFER_TMP=""           # the local files (the source, what comes back): removed at exit
XFER_DIR=""           # ~alice/goldcrest-bench, the fixture the cluster's copies go to
XFER_SRC="" XFER_SHA=""
XFER_BUCKET=""        # the curl baseline's own bucket: emptied and deleted at exit
XFER_OBJECTS=()       # "bucket/key" of every object staged for the bench's transfers: deleted at exit
XFER_LOGS=()          # the transfer jobs' output and error logs: removed at exit
XFER_JOBS=()          # the transfer jobs: cancelled at exit if still there
XFER_JOB_TMP=""       # the download jobs' tmp folder when the bench made it: removed at exit if empty
XFER_WATCHER=""       # the background watcher of a job, killed at exit
XFER_BG=()            # parallel part PUTs, killed at exit
XFER_TOKEN="" XFER_TOKEN_AT=0
declare -A XV=()      # "METRIC RUN" -> seconds (phases, CPU), for the report
if [ "$SCENARIO" = transfer ]; then
  for v in XFER_SIZE XFER_RUNS XFER_PARALLEL; do
    [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || gc_die "BENCH_${v/XFER/TRANSFER} must be a whole number >= 1 (got '${!v}')"
  done
fi

# curl signed with the S3 keys (SigV4); the key pair goes to curl's --config on stdin, not its command line
s3_curl() {
  printf 'user = "%s:%s"\n' "$S3_ACCESS_KEY" "$S3_SECRET_KEY" | curl --silent --show-error --config - \
    --aws-sigv4 "aws:amz:$XFER_REGION:s3" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"
}
# curl on a presigned URL: it is a credential, so it goes to curl's --config on stdin
url_curl() { # URL CURL-ARGS...
  local url=$1; shift
  printf 'url = "%s"\n' "$url" | curl --silent --show-error --fail --config - "$@"
}
# "bucket/key" of a path-style URL
url_object() { local u=${1%%\?*}; u=${u#*://}; echo "${u#*/}"; }
# sleeps $1 seconds without a fork (read times out on a pipe nobody writes to); for the watcher only:
# bash 5.2 can leave read's timer armed when a trap interrupts it, and abort later in the EXIT trap
# ("longjmp causes uninitialized stack frame"), so the main shell sleeps with sleep(1)
nap() { local _; read -r -t "$1" -u "$XFER_SLEEP_FD" _ || true; }
# seconds between two $EPOCHREALTIME values
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b - a}'; }
sha_of() { sha256sum -- "$1" | cut -d' ' -f1; }
# "busy total" ticks of the machine, then the ticks of S3Proxy and of the Goldcrest JVM
cpu_snap() {
  local s=0 g=0
  [ -z "$XFER_S3PROXY_PID" ] || s=$(proc_ticks "$XFER_S3PROXY_PID") || s=0
  [ -z "$SERVER_PID" ] || g=$(proc_ticks "$SERVER_PID") || g=0
  echo "$(machine_ticks) $s $g"
}
# records the CPU seconds between two cpu_snap lines as METRIC.cpu_machine etc. of RUN
cpu_record() { # METRIC RUN BEFORE AFTER
  local -a a b
  read -ra a <<< "$3"; read -ra b <<< "$4"
  XV["$1.cpu_machine $2"]=$(awk -v x=$((b[0] - a[0])) -v hz="$HZ" 'BEGIN{printf "%.2f", x / hz}')
  XV["$1.busy_pct $2"]=$(awk -v x=$((b[0] - a[0])) -v t=$((b[1] - a[1])) 'BEGIN{printf "%.0f", (t > 0 ? 100 * x / t : 0)}')
  XV["$1.cpu_s3proxy $2"]=$(awk -v x=$((b[2] - a[2])) -v hz="$HZ" 'BEGIN{printf "%.2f", x / hz}')
  XV["$1.cpu_goldcrest $2"]=$(awk -v x=$((b[3] - a[3])) -v hz="$HZ" 'BEGIN{printf "%.2f", x / hz}')
}
# a token for XFER_USER younger than 200 s (they live 300 s; Goldcrest wants 30 s left)
xfer_token() {
  if [ $(( ${EPOCHREALTIME%.*} - XFER_TOKEN_AT )) -ge 200 ]; then
    XFER_TOKEN=$(./goldcrest token "$XFER_USER") || gc_die "no token for $XFER_USER (is the mock IdP running?)"
    XFER_TOKEN_AT=${EPOCHREALTIME%.*}
  fi
}
# seconds job $1 was pending in Slurm (scontrol's SubmitTime -> StartTime, whole seconds); empty if unknown
xfer_pending() {
  local line submit start
  line=$(scontrol show job -o "$1" 2>/dev/null) || return 0
  submit=$(sed -nE 's/.* SubmitTime=([^ ]+).*/\1/p' <<< "$line") start=$(sed -nE 's/.* StartTime=([^ ]+).*/\1/p' <<< "$line")
  submit=$(date -d "$submit" +%s 2>/dev/null) && start=$(date -d "$start" +%s 2>/dev/null) && echo $((start - submit)) || true
}
# waits until the machine is nearly idle before a measured leg
xfer_settle() {
  local s; s=$(settle)
  [ "$s" != -1 ] || gc_warn "the machine was still busy after 15 s: measuring anyway"
}
xfer_log_leg() { # WHAT RUN: prints the leg's recorded values
  local k line="$1 run $2:"
  for k in $(printf '%s\n' "${!XV[@]}" | cut -d' ' -f1 | sort -u); do [[ $k != "$1."* ]] || [ -z "${XV[$k $2]:-}" ] || line+=" $k=${XV[$k $2]}"; done
  gc_log "$line"
  echo "$line" >> "$XFER_RUNS_FILE"
}

# The watcher of one job, in the background: reads the job's output log and (upload) looks for the
# target and the staged object every 50 ms, without forks, printing "EVENT EPOCHREALTIME" the first
# time it sees each of:
#   job (the job's first line), visible (the upload's object is in S3Proxy's data directory: its
#   filesystem backend joins the parts into a temporary file and renames it to the object's name), found
#   (the upload job found the object), ondisk (the upload's target is in place, renamed from its partial
#   file), logged (the upload job's success line), sent (the download job's success line: its multipart
#   upload is complete).
declare -A XW_AT=()
xfer_mark() { [ -n "${XW_AT[$1]:-}" ] || { XW_AT[$1]=$EPOCHREALTIME; echo "$1 ${XW_AT[$1]}"; }; }
xfer_watch() { # up|down LOG [TARGET [OBJECT-FILE]]
  local kind=$1 log=$2 target=${3:-} object=${4:-} line
  XW_AT=()
  while :; do
    if [ -r "$log" ]; then
      while IFS= read -r line; do
        case $line in
          *" Job (id:"*) xfer_mark job ;;
          *"File found in the staging area"*) xfer_mark found ;;
          *"File was successfully downloaded"*) xfer_mark logged ;;
          *"[INFO] Multipart file upload successfully completed"*) xfer_mark sent ;;
        esac
      done < "$log"
    fi
    if [ "$kind" = up ]; then
      [ -z "$object" ] || [ ! -e "$object" ] || xfer_mark visible
      [ -z "${XW_AT[found]:-}" ] || [ ! -e "$target" ] || xfer_mark ondisk
      [ -z "${XW_AT[ondisk]:-}" ] || [ -z "${XW_AT[logged]:-}" ] || break
    else
      [ -z "${XW_AT[sent]:-}" ] || break
    fi
    nap 0.05
  done
}
# lets the watcher finish (2 s at most), then reads its events into EV
declare -A EV=()
xfer_watch_end() { # EVENTS-FILE
  local i e t
  for i in $(seq 40); do kill -0 "$XFER_WATCHER" 2>/dev/null || break; sleep 0.05; done
  kill "$XFER_WATCHER" 2>/dev/null || true
  wait "$XFER_WATCHER" 2>/dev/null || true
  XFER_WATCHER=""
  EV=()
  while read -r e t; do EV[$e]=$t; done < "$1"
}
# polls GET /tasks/ID every 0.25 s until the task is no longer queued or running; TASK_STATE := its state
xfer_await_task() { # ID
  local deadline=$(( ${EPOCHREALTIME%.*} + XFER_TIMEOUT )) code
  while :; do
    xfer_token
    code=$(curl -s -o "$XFER_TMP/task.json" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer $XFER_TOKEN" "$XFER_URL/tasks/$1") || code=000
    if [ "$code" = 200 ]; then
      TASK_STATE=$(jq -r '.state' "$XFER_TMP/task.json")
      case $TASK_STATE in queued|running) ;; *) return 0 ;; esac
    else
      gc_warn "GET /tasks/$1 answered $code"
    fi
    [ "${EPOCHREALTIME%.*}" -lt "$deadline" ] || gc_die "task $1 still not done after ${XFER_TIMEOUT}s"
    sleep 0.25
  done
}
xfer_task_failed() { # WHAT OUTPUT-LOG ERROR-LOG
  cat "$XFER_TMP/task.json" >&2; echo >&2
  tail -5 -- "$2" "$3" >&2 2>/dev/null || true
  gc_die "$1: the task ended $TASK_STATE"
}
# ETAG := the ETag header of a --dump-header file (the last one: a 100 Continue comes first)
etag_of() {
  local line
  ETAG=""
  while IFS= read -r line; do
    line=${line%$'\r'}
    case ${line,,} in etag:*) ETAG=${line#*:}; ETAG=${ETAG# } ;; esac
  done < "$1"
}
# PUT of part N (1-based) of XFER_SRC, read with dd straight into curl (no copy on disk)
xfer_put_part() { # N URL PART-SIZE
  local off=$(( ($1 - 1) * $3 )) len
  len=$(( XFER_SIZE - off < $3 ? XFER_SIZE - off : $3 ))
  url_curl "$2" --upload-file /dev/fd/3 -H "Content-Length: $len" -H "Transfer-Encoding:" \
    --dump-header "$XFER_TMP/headers.$1" --output /dev/null \
    3< <(dd if="$XFER_SRC" bs=4M iflag=skip_bytes,count_bytes skip="$off" count="$len" status=none)
}

# One Goldcrest upload of XFER_SRC to TARGET, the client's way (docs/transfer.md)
xfer_goldcrest_upload() { # RUN TARGET
  local run=$1 target=$2 body resp=$XFER_TMP/upload.json code task job outlog errlog complete part_size
  local urls=() i n pid done_pid running=() failed=0 c0 c1 t0 t1 tc t2 t3 xml=$XFER_TMP/complete.xml
  xfer_token
  body=$(jq -nc --arg p "$target" --argjson n "$XFER_SIZE" '{path: $p, transferDirectives: {transferMethod: "s3", fileSize: $n}}')
  xfer_settle
  c0=$(cpu_snap)
  t0=$EPOCHREALTIME
  code=$(curl -s -o "$resp" -w '%{http_code}' --max-time 60 -H "Authorization: Bearer $XFER_TOKEN" \
    -H 'Content-Type: application/json' --data-binary "$body" "$XFER_URL/filesystem/$SYSTEM/transfer/upload") || code=000
  t1=$EPOCHREALTIME
  [ "$code" = 201 ] || { cat "$resp" >&2; echo >&2; gc_die "POST transfer/upload answered $code"; }
  { read -r task; read -r job; read -r outlog; read -r errlog; read -r complete; read -r part_size; mapfile -t urls; } \
    < <(jq -r '.taskId, .transferJob.jobId, .transferJob.logs.outputLog, .transferJob.logs.errorLog,
               .transferDirectives.completeUploadUrl, .transferDirectives.maxPartSize, .transferDirectives.partsUploadUrls[]' "$resp")
  XFER_JOBS+=("$job"); XFER_LOGS+=("$outlog" "$errlog"); XFER_OBJECTS+=("$(url_object "${urls[0]}")")
  n=${#urls[@]}
  [ "$n" = $(( (XFER_SIZE + part_size - 1) / part_size )) ] || gc_die "the upload has $n part URLs for $XFER_SIZE bytes in parts of $part_size"
  XFER_PARTS=$n XFER_PART_SIZE=$part_size
  xfer_watch up "$outlog" "$target" "${XFER_S3_DATA:+$XFER_S3_DATA/${XFER_OBJECTS[-1]}}" > "$XFER_TMP/events" &
  XFER_WATCHER=$!

  for i in "${!urls[@]}"; do
    if [ "$XFER_PARALLEL" = 1 ]; then
      xfer_put_part $((i + 1)) "${urls[$i]}" "$part_size" || gc_die "the PUT of part $((i + 1)) failed"
      continue
    fi
    xfer_put_part $((i + 1)) "${urls[$i]}" "$part_size" &
    running+=($!); XFER_BG=("${running[@]}")
    if [ "${#running[@]}" -ge "$XFER_PARALLEL" ]; then
      wait -n -p done_pid "${running[@]}" || failed=1
      for pid in "${!running[@]}"; do [ "${running[$pid]}" != "$done_pid" ] || unset 'running[pid]'; done
      running=("${running[@]}")
    fi
  done
  for pid in "${running[@]}"; do wait "$pid" || failed=1; done
  XFER_BG=()
  [ "$failed" = 0 ] || gc_die "a part PUT failed"
  {
    echo '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
    for i in $(seq "$n"); do
      etag_of "$XFER_TMP/headers.$i"
      [ -n "$ETAG" ] || gc_die "no ETag in the answer to part $i"
      echo "<Part><PartNumber>$i</PartNumber><ETag>$ETAG</ETag></Part>"
    done
    echo '</CompleteMultipartUpload>'
  } > "$xml"
  tc=$EPOCHREALTIME
  url_curl "$complete" --request POST --header 'Content-Type: application/xml' --data-binary "@$xml" \
    --output "$XFER_TMP/complete.out" || gc_die "CompleteMultipartUpload failed: $(cat "$XFER_TMP/complete.out" 2>/dev/null)"
  t2=$EPOCHREALTIME
  ! grep -q '<Error>' "$XFER_TMP/complete.out" || gc_die "CompleteMultipartUpload failed: $(cat "$XFER_TMP/complete.out")"

  xfer_await_task "$task"
  t3=$EPOCHREALTIME
  c1=$(cpu_snap)
  xfer_watch_end "$XFER_TMP/events"
  [ "$TASK_STATE" = succeeded ] || xfer_task_failed "upload run $run" "$outlog" "$errlog"
  # without S3Proxy's data directory, the object counts as there when the complete is answered
  [ -n "${EV[visible]:-}" ] || EV[visible]=$t2
  for i in job found ondisk; do [ -n "${EV[$i]:-}" ] || gc_die "upload run $run: the watcher did not see '$i' (events: $(tr '\n' ' ' < "$XFER_TMP/events"))"; done
  XV["up.e2e $run"]=$(secs "$t0" "$t3")
  XV["up.ondisk_total $run"]=$(secs "$t0" "${EV[ondisk]}")
  XV["up.post $run"]=$(secs "$t0" "$t1")
  XV["up.puts $run"]=$(secs "$t1" "$tc")
  XV["up.join $run"]=$(secs "$tc" "${EV[visible]}")
  XV["up.complete $run"]=$(secs "$tc" "$t2")
  # the object there before the job ran: the job's start, not its poll, kept it waiting
  local polled_from=${EV[visible]}
  if awk -v j="${EV[job]}" -v v="${EV[visible]}" 'BEGIN{exit !(j > v)}'; then polled_from=${EV[job]}; fi
  XV["up.waitjob $run"]=$(secs "${EV[visible]}" "$polled_from")
  XV["up.pollwait $run"]=$(secs "$polled_from" "${EV[found]}")
  XV["up.copy $run"]=$(secs "${EV[found]}" "${EV[ondisk]}")
  XV["up.notice $run"]=$(secs "${EV[ondisk]}" "$t3")
  XV["up.client $run"]=$(secs "$t1" "$t2")
  XV["up.jobphase $run"]=$(secs "$t2" "$t3")
  XV["up.jobphase_disk $run"]=$(secs "$t2" "${EV[ondisk]}")
  XV["up.jobstart $run"]=$(secs "$t1" "${EV[job]}")
  XV["up.pending $run"]=$(xfer_pending "$job")
  cpu_record up "$run" "$c0" "$c1"
  [ "$(sha_of "$target")" = "$XFER_SHA" ] || gc_die "upload run $run: the SHA-256 of $target is not the local file's"
  XV["up.sha256_ok $run"]=yes
  # Goldcrest drops the staged object once the job has it
  code=$(s3_curl --head --output /dev/null --write-out '%{http_code}' "$S3_ENDPOINT/${XFER_OBJECTS[-1]}") || code=000
  [ "$code" = 404 ] || gc_warn "upload run $run: the staged object is still there (HEAD answered $code); deleted at exit"
  rm -f -- "$outlog" "$errlog"
  xfer_log_leg up "$run"
}

# One Goldcrest download of SOURCE (on the cluster) to a local file
xfer_goldcrest_download() { # RUN SOURCE
  local run=$1 source=$2 out=$XFER_TMP/goldcrest-down-$1.bin body resp=$XFER_TMP/download.json code task job outlog errlog url
  local c0 c1 t0 t1 t3 t4 i
  xfer_token
  body=$(jq -nc --arg p "$source" '{path: $p, transferDirectives: {transferMethod: "s3"}}')
  xfer_settle
  c0=$(cpu_snap)
  t0=$EPOCHREALTIME
  code=$(curl -s -o "$resp" -w '%{http_code}' --max-time 60 -H "Authorization: Bearer $XFER_TOKEN" \
    -H 'Content-Type: application/json' --data-binary "$body" "$XFER_URL/filesystem/$SYSTEM/transfer/download") || code=000
  t1=$EPOCHREALTIME
  [ "$code" = 201 ] || { cat "$resp" >&2; echo >&2; gc_die "POST transfer/download answered $code"; }
  { read -r task; read -r job; read -r outlog; read -r errlog; read -r url; } \
    < <(jq -r '.taskId, .transferJob.jobId, .transferJob.logs.outputLog, .transferJob.logs.errorLog, .transferDirectives.downloadUrl' "$resp")
  XFER_JOBS+=("$job"); XFER_LOGS+=("$outlog" "$errlog"); XFER_OBJECTS+=("$(url_object "$url")")
  xfer_watch down "$outlog" > "$XFER_TMP/events" &
  XFER_WATCHER=$!
  xfer_await_task "$task"
  t3=$EPOCHREALTIME
  [ "$TASK_STATE" = succeeded ] || { xfer_watch_end "$XFER_TMP/events"; xfer_task_failed "download run $run" "$outlog" "$errlog"; }
  url_curl "$url" --output "$out" || gc_die "download run $run: the GET of the download URL failed"
  t4=$EPOCHREALTIME
  c1=$(cpu_snap)
  xfer_watch_end "$XFER_TMP/events"
  for i in job sent; do [ -n "${EV[$i]:-}" ] || gc_die "download run $run: the watcher did not see '$i' (events: $(tr '\n' ' ' < "$XFER_TMP/events"))"; done
  XV["down.e2e $run"]=$(secs "$t0" "$t4")
  XV["down.post $run"]=$(secs "$t0" "$t1")
  XV["down.jobstart $run"]=$(secs "$t1" "${EV[job]}")
  XV["down.pending $run"]=$(xfer_pending "$job")
  XV["down.send $run"]=$(secs "${EV[job]}" "${EV[sent]}")
  XV["down.notice $run"]=$(secs "${EV[sent]}" "$t3")
  XV["down.get $run"]=$(secs "$t3" "$t4")
  XV["down.jobphase $run"]=$(secs "$t1" "$t3")
  XV["down.jobphase_obj $run"]=$(secs "$t1" "${EV[sent]}")
  XV["down.ondisk_total $run"]=$(awk -v e="${XV[down.e2e $run]}" -v n="${XV[down.notice $run]}" 'BEGIN{printf "%.3f", e - n}')
  cpu_record down "$run" "$c0" "$c1"
  [ "$(sha_of "$out")" = "$XFER_SHA" ] || gc_die "download run $run: the SHA-256 of what came back is not the local file's"
  XV["down.sha256_ok $run"]=yes
  rm -f -- "$out" "$outlog" "$errlog"
  # a download's object stays for the lifecycle rule (S3Proxy has none): the bench deletes its own
  s3_curl --fail --request DELETE --output /dev/null "$S3_ENDPOINT/${XFER_OBJECTS[-1]}" || gc_warn "cannot delete ${XFER_OBJECTS[-1]} (retried at exit)"
  xfer_log_leg down "$run"
}

# Baseline: one PUT and one GET of the whole file straight to S3Proxy, in the bench's own bucket
xfer_s3_baseline() { # RUN
  local run=$1 object=$XFER_BUCKET/up-$1.bin out=$XFER_TMP/s3-down-$1.bin c0 c1 t0 t1
  xfer_settle
  c0=$(cpu_snap); t0=$EPOCHREALTIME
  s3_curl --fail --upload-file "$XFER_SRC" --output /dev/null "$S3_ENDPOINT/$object" || gc_die "the PUT to S3Proxy failed"
  t1=$EPOCHREALTIME; c1=$(cpu_snap)
  XV["s3up.e2e $run"]=$(secs "$t0" "$t1")
  cpu_record s3up "$run" "$c0" "$c1"
  xfer_settle
  c0=$(cpu_snap); t0=$EPOCHREALTIME
  s3_curl --fail --output "$out" "$S3_ENDPOINT/$object" || gc_die "the GET from S3Proxy failed"
  t1=$EPOCHREALTIME; c1=$(cpu_snap)
  XV["s3down.e2e $run"]=$(secs "$t0" "$t1")
  cpu_record s3down "$run" "$c0" "$c1"
  [ "$(sha_of "$out")" = "$XFER_SHA" ] || gc_die "S3 baseline run $run: the SHA-256 of what came back is not the local file's"
  XV["s3down.sha256_ok $run"]=yes
  rm -f -- "$out"
  s3_curl --fail --request DELETE --output /dev/null "$S3_ENDPOINT/$object" || gc_warn "cannot delete $object (retried at exit)"
  xfer_log_leg s3up "$run"; xfer_log_leg s3down "$run"
}

# Baseline: scp up and down over the cluster's sshd, as XFER_USER with the cluster's static key
xfer_scp_baseline() { # RUN
  local run=$1 remote=$XFER_DIR/scp-$1.bin out=$XFER_TMP/scp-down-$1.bin c0 c1 t0 t1
  xfer_settle
  c0=$(cpu_snap); t0=$EPOCHREALTIME
  scp "${XFER_SCP[@]}" "$XFER_SRC" "$XFER_USER@$LC_SSH_HOST:$remote" || gc_die "scp up failed"
  t1=$EPOCHREALTIME; c1=$(cpu_snap)
  XV["scpup.e2e $run"]=$(secs "$t0" "$t1")
  cpu_record scpup "$run" "$c0" "$c1"
  [ "$(sha_of "$remote")" = "$XFER_SHA" ] || gc_die "scp run $run: the SHA-256 of $remote is not the local file's"
  XV["scpup.sha256_ok $run"]=yes
  xfer_settle
  c0=$(cpu_snap); t0=$EPOCHREALTIME
  scp "${XFER_SCP[@]}" "$XFER_USER@$LC_SSH_HOST:$remote" "$out" || gc_die "scp down failed"
  t1=$EPOCHREALTIME; c1=$(cpu_snap)
  XV["scpdown.e2e $run"]=$(secs "$t0" "$t1")
  cpu_record scpdown "$run" "$c0" "$c1"
  [ "$(sha_of "$out")" = "$XFER_SHA" ] || gc_die "scp run $run: the SHA-256 of what came back is not the local file's"
  XV["scpdown.sha256_ok $run"]=yes
  rm -f -- "$out" "$remote"
  xfer_log_leg scpup "$run"; xfer_log_leg scpdown "$run"
}

# Refuses to start with less than max(4 GiB, what the run writes there) free on a file system it
# writes to: the local files (the source and one copy back), the cluster's (one copy, plus the
# download job's parts, parallel_runs at a time) and S3Proxy's (a multipart upload's parts and the
# object joined from them).
xfer_check_disk() { # S3-DATA-DIR (empty: unknown)
  local -A need=() places=()
  local place bytes fs avail min=$((4 << 30)) job_tmp
  job_tmp=$(( XFER_JOB_PARALLEL * XFER_CFG_PART_SIZE )); [ "$job_tmp" -le "$XFER_SIZE" ] || job_tmp=$XFER_SIZE
  set -- "$XFER_TMP" $((2 * XFER_SIZE)) "$XFER_HOME" $((XFER_SIZE + job_tmp)) ${1:+"$1" $((2 * XFER_SIZE))}
  while [ $# -gt 0 ]; do
    place=$1 bytes=$2; shift 2
    fs=$(df -P -- "$place" | awk 'NR==2{print $6}') || gc_die "df $place failed"
    need[$fs]=$(( ${need[$fs]:-0} + bytes ))
    places[$fs]+="${places[$fs]:+, }$place"
  done
  for fs in "${!need[@]}"; do
    avail=$(df -P -B1 -- "$fs" | awk 'NR==2{print $4}')
    [ "${need[$fs]}" -ge "$min" ] || need[$fs]=$min
    if [ "$avail" -lt "${need[$fs]}" ]; then
      gc_die "only $(awk -v b="$avail" 'BEGIN{printf "%.1f", b / 2^30}') GiB free on $fs (${places[$fs]}):" \
        "the transfer scenario needs $(awk -v b="${need[$fs]}" 'BEGIN{printf "%.1f", b / 2^30}') GiB there" \
        "(at least 4 GiB; BENCH_TRANSFER_SIZE=$XFER_SIZE)"
    fi
    gc_log "disk: $(awk -v b="$avail" 'BEGIN{printf "%.1f", b / 2^30}') GiB free on $fs (${places[$fs]}), $(awk -v b="${need[$fs]}" 'BEGIN{printf "%.1f", b / 2^30}') GiB needed"
  done
}

transfer_cleanup() {
  local ids="" obj ids_left id u
  [ -z "$XFER_WATCHER" ] || { kill "$XFER_WATCHER" 2>/dev/null || true; XFER_WATCHER=""; }
  for id in "${XFER_BG[@]}"; do kill "$id" 2>/dev/null || true; done
  if [ ${#XFER_JOBS[@]} -gt 0 ]; then
    ids=$(IFS=,; echo "${XFER_JOBS[*]}")
    ids_left=$(squeue --noheader --jobs="$ids" --format=%i 2>/dev/null | tr -d ' ' | tr '\n' ' ')
    if [ -n "${ids_left// /}" ]; then
      # shellcheck disable=SC2086
      scancel -- $ids_left 2>/dev/null || true
      gc_log "cancelled the bench's transfer jobs $ids_left"
      gc_wait_until 30 "the cancelled jobs to end" jobs_gone "$ids" || gc_warn "jobs $ids_left are still there"
    fi
  fi
  if [ ${#XFER_OBJECTS[@]} -gt 0 ]; then
    for obj in "${XFER_OBJECTS[@]}"; do
      # open multipart uploads of the key (a run stopped halfway), then the object
      # (curl 7.88's SigV4 neither sorts the query nor adds the = of a bare "uploads": both done here)
      for u in $(s3_curl "$S3_ENDPOINT/${obj%%/*}?prefix=$(sed 's|/|%2F|g' <<< "${obj#*/}")&uploads=" 2>/dev/null | grep -o '<UploadId>[^<]*</UploadId>' | sed 's/<[^>]*>//g'); do
        s3_curl --request DELETE --output /dev/null "$S3_ENDPOINT/$obj?uploadId=$u" || true
      done
      s3_curl --request DELETE --output /dev/null "$S3_ENDPOINT/$obj" || true
    done
    gc_log "deleted the ${#XFER_OBJECTS[@]} objects staged for the bench's transfers (if still there)"
    XFER_OBJECTS=()
  fi
  if [ -n "$XFER_BUCKET" ]; then
    for obj in $(s3_curl "$S3_ENDPOINT/$XFER_BUCKET?list-type=2" 2>/dev/null | grep -o '<Key>[^<]*</Key>' | sed 's/<[^>]*>//g'); do
      s3_curl --request DELETE --output /dev/null "$S3_ENDPOINT/$XFER_BUCKET/$obj" || true
    done
    if [ "$(s3_curl --request DELETE --output /dev/null --write-out '%{http_code}' "$S3_ENDPOINT/$XFER_BUCKET")" = 204 ]; then
      gc_log "deleted the bucket $XFER_BUCKET"
    else
      gc_warn "could not delete the bucket $XFER_BUCKET"
    fi
    XFER_BUCKET=""
  fi
  [ ${#XFER_LOGS[@]} -eq 0 ] || rm -f -- "${XFER_LOGS[@]}"
  XFER_LOGS=()
  [ -z "$XFER_JOB_TMP" ] || rmdir -- "$XFER_JOB_TMP" 2>/dev/null || true
  [ -z "$XFER_TMP" ] || rm -rf -- "$XFER_TMP"
  XFER_TMP=""
}
jobs_gone() { [ -z "$(squeue --noheader --jobs="$1" --format=%i 2>/dev/null)" ]; }

# ------------------------------------------------------------------ the transfer scenario: report
# "MEDIAN|EACH RUN" of METRIC over the runs; as MiB/s of the file when $2 = rate
xfer_stat() { # METRIC [rate]
  local r vals=""
  for r in $(seq "$XFER_RUNS"); do [ -z "${XV[$1 $r]:-}" ] || vals+=" ${XV[$1 $r]}"; done
  [ -n "$vals" ] || { echo "-|"; return 0; }
  awk -v v="$vals" -v rate="${2:-}" -v mib="$XFER_MIB" 'BEGIN{
    n = split(v, a, " "); each = ""
    for (i = 1; i <= n; i++) { x[i] = (rate ? (a[i] > 0 ? mib / a[i] : 0) : a[i]); each = each (i > 1 ? " " : "") sprintf(rate ? "%.1f" : "%.2f", x[i]) }
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
    med = (n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2)
    printf (rate ? "%.1f|%s\n" : "%.2f|%s\n"), med, each }'
}
xfer_med() { local s; s=$(xfer_stat "$@"); echo "${s%%|*}"; }
xfer_cell() { local s; s=$(xfer_stat "$@"); [ "${s%%|*}" = - ] && echo "-" || echo "${s%%|*} (${s#*|})"; }
xfer_ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b }'; }
xfer_row() { printf '%-50s %-28s %s\n' "$1" "$2" "$3"; }
xfer_phase() { printf '  %-66s %s\n' "$1" "$(xfer_cell "$2")"; }
xfer_cpu() { # LEG
  [ -n "${XV[$1.cpu_machine 1]:-}" ] || return 0
  printf '  %-66s machine busy %s s (%s%% of %d CPUs), S3Proxy %s s, Goldcrest %s s\n' "CPU seconds, median:" \
    "$(xfer_med "$1.cpu_machine")" "$(xfer_med "$1.busy_pct" | cut -d. -f1)" "$(nproc)" "$(xfer_med "$1.cpu_s3proxy")" "$(xfer_med "$1.cpu_goldcrest")"
}
xfer_table() {
  local up=$(xfer_med up.e2e rate) down=$(xfer_med down.e2e rate) upd=$(xfer_med up.ondisk_total rate) downd=$(xfer_med down.ondisk_total rate)
  local s3u=$(xfer_med s3up.e2e rate) s3d=$(xfer_med s3down.e2e rate) scu=$(xfer_med scpup.e2e rate) scd=$(xfer_med scpdown.e2e rate)
  local mode="sequential"; [ "$XFER_PARALLEL" = 1 ] || mode="$XFER_PARALLEL at a time"
  echo "== transfer: $XFER_MIB MiB ($XFER_SIZE bytes) of random bytes as $XFER_USER, $XFER_RUNS runs; MiB/s = 2^20 bytes per second of wall time, median (each run)"
  [ $((XFER_RUNS % 2)) = 1 ] || echo "   (the median of an even number of runs: the mean of the middle two)"
  echo "   sha256 $XFER_SHA: every copy made (on the cluster, back from it, through S3Proxy, through scp) checked against it"
  xfer_row "" "up MiB/s" "down MiB/s"
  xfer_row "goldcrest, until the task says succeeded" "$(xfer_cell up.e2e rate)" "$(xfer_cell down.e2e rate)"
  xfer_row "goldcrest, the job's end seen at once" "$(xfer_cell up.ondisk_total rate)" "$(xfer_cell down.ondisk_total rate)"
  xfer_row "curl straight to S3Proxy (one PUT, one GET)" "$(xfer_cell s3up.e2e rate)" "$(xfer_cell s3down.e2e rate)"
  xfer_row "scp over the cluster's sshd" "$(xfer_cell scpup.e2e rate)" "$(xfer_cell scpdown.e2e rate)"
  xfer_row "ratio goldcrest/curl-to-S3Proxy" "$(xfer_ratio "$up" "$s3u")" "$(xfer_ratio "$down" "$s3d")"
  xfer_row "ratio goldcrest/scp" "$(xfer_ratio "$up" "$scu")" "$(xfer_ratio "$down" "$scd")"
  xfer_row "ratio goldcrest (job end seen at once)/curl" "$(xfer_ratio "$upd" "$s3u")" "$(xfer_ratio "$downd" "$s3d")"
  xfer_row "ratio goldcrest (job end seen at once)/scp" "$(xfer_ratio "$upd" "$scu")" "$(xfer_ratio "$downd" "$scd")"
  echo
  if [ -n "${XV[up.e2e 1]:-}" ]; then
    echo "goldcrest upload, seconds: median (each run)"
    xfer_phase "the client's phase: part PUTs and CompleteMultipartUpload" up.client
    xfer_phase "the job's phase: from the complete's answer to task succeeded" up.jobphase
    xfer_phase "  the same until the file is complete on disk" up.jobphase_disk
    echo "  in detail, adding up to the end to end time:"
    xfer_phase "POST transfer/upload (multipart upload opened, sbatch)" up.post
    xfer_phase "client: $XFER_PARTS part PUTs of $((XFER_PART_SIZE >> 20)) MiB, $mode" up.puts
    xfer_phase "client: CompleteMultipartUpload until the object is there [1]" up.join
    xfer_phase "the object is there, the job not yet running" up.waitjob
    xfer_phase "job: finds the object (HEAD every staging_poll_interval: 1s)" up.pollwait
    xfer_phase "job: S3 -> cluster (curl GET to the partial file, rename)" up.copy
    xfer_phase "file complete on disk -> task succeeded (job end, watcher 1s)" up.notice
    xfer_phase "= end to end (POST -> task succeeded)" up.e2e
    echo "  and beside them:"
    xfer_phase "the CompleteMultipartUpload's answer, after its request [1]" up.complete
    xfer_phase "the job's first line, after the POST's answer" up.jobstart
    xfer_phase "  of which pending in Slurm (SubmitTime -> StartTime, whole s)" up.pending
    xfer_cpu up
    echo "  the staging poll's wait is $(awk -v a="$(xfer_med up.pollwait)" -v b="$(xfer_med up.e2e)" 'BEGIN{printf "%.1f", (b > 0 ? 100 * a / b : 0)}')% of the median upload"
    echo "  [1] S3Proxy's filesystem backend joins the parts into a temporary file, renames it to the object's"
    echo "      name (the object is there: HEAD finds it), deletes the parts and only then answers"
    echo "goldcrest download, seconds: median (each run)"
    xfer_phase "the job's phase: from the POST's answer to task succeeded" down.jobphase
    xfer_phase "  the same until the job's multipart upload is complete" down.jobphase_obj
    xfer_phase "the client's phase: GET of the download URL" down.get
    echo "  in detail, adding up to the end to end time:"
    xfer_phase "POST transfer/download (SFTP stat, upload opened, sbatch)" down.post
    xfer_phase "job start (POST answered -> the job's first line)" down.jobstart
    xfer_phase "job: $XFER_PARTS parts cut with dd to files and PUT, $XFER_JOB_PARALLEL at a time, complete" down.send
    xfer_phase "object complete -> task succeeded (job end, watcher 1s)" down.notice
    xfer_phase "client: GET of the download URL" down.get
    xfer_phase "= end to end (POST -> the file is here)" down.e2e
    echo "  and beside them:"
    xfer_phase "pending in Slurm (SubmitTime -> StartTime, whole s)" down.pending
    xfer_cpu down
    echo
  fi
  if [ -n "${XV[s3up.e2e 1]:-}" ]; then
    echo "baselines, seconds: median (each run)"
    xfer_phase "curl PUT to S3Proxy" s3up.e2e; xfer_cpu s3up
    xfer_phase "curl GET from S3Proxy" s3down.e2e; xfer_cpu s3down
    xfer_phase "scp up ($XFER_CIPHER)" scpup.e2e; xfer_cpu scpup
    xfer_phase "scp down" scpdown.e2e; xfer_cpu scpdown
    echo
  fi
  echo "Goldcrest: $XFER_CONFIG (the bench config with staging_poll_interval: 1s and tasks.watch_interval: 1s;"
  echo "  parts of $((XFER_CFG_PART_SIZE >> 20)) MiB, the download job sends $XFER_JOB_PARALLEL at a time). The client polls GET /tasks/{id} every 0.25 s;"
  echo "  \"the job's end seen at once\" takes out the wait from the file being complete (upload: renamed into place"
  echo "  on the cluster; download: the multipart upload completed) until the task said succeeded."
  echo "All on loopback; files are read from and written to the page cache ($(free -g | awk '/^Mem:/{print $2}') GiB of RAM), no disk speed is"
  echo "  measured, though the kernel writes dirty pages back meanwhile. The client, S3Proxy, Goldcrest, sshd, Slurm"
  echo "  and the job share $(nproc) CPUs; \"machine busy\" counts everything running."
}

# ------------------------------------------------------------------ the transfer scenario: main
run_transfer() {
  local cfg_private s3_data run i
  [ "$(id -u)" = 0 ] || gc_die "the transfer scenario writes into $XFER_USER's home, checks its copies as root and reads the jobs' logs: run as root"
  for i in jq scp sha256sum; do command -v "$i" >/dev/null || gc_die "the transfer scenario needs $i"; done
  [ -f "$CLUSTER_DIR/env.sh" ] || gc_die "no $CLUSTER_DIR/env.sh (./goldcrest cluster up)"
  # shellcheck disable=SC1091
  . "$CLUSTER_DIR/env.sh"
  [ -f "$LC_SSH_USER_KEYS/$XFER_USER" ] || gc_die "no key for $XFER_USER under $LC_SSH_USER_KEYS"
  cfg_private=$(sed -nE 's/^ *private_url: *"?([^" ]+)"?.*/\1/p' "$XFER_CONFIG" | head -1)
  [ -n "$cfg_private" ] || gc_die "$XFER_CONFIG has no data_transfer private_url: the transfer scenario needs the S3 staging"
  [ "${cfg_private%/}" = "${S3_ENDPOINT%/}" ] || gc_die "Goldcrest's S3 ($cfg_private, in $XFER_CONFIG) is not GOLDCREST_S3_ENDPOINT ($S3_ENDPOINT): the baseline must use the same S3"
  curl -s --max-time 5 "$S3_ENDPOINT/" 2>/dev/null | grep -q '<Code>' || gc_die "no S3 answers on $S3_ENDPOINT (./goldcrest services up)"
  XFER_REGION=$(sed -nE 's/^ *region: *"?([^" ]+)"?.*/\1/p' "$XFER_CONFIG" | head -1); XFER_REGION=${XFER_REGION:-us-east-1}
  XFER_CFG_PART_SIZE=$(sed -nE 's/.*max_part_size: *([0-9]+).*/\1/p' "$XFER_CONFIG" | head -1)
  XFER_JOB_PARALLEL=$(sed -nE 's/.*parallel_runs: *([0-9]+).*/\1/p' "$XFER_CONFIG" | head -1)
  XFER_CFG_PART_SIZE=${XFER_CFG_PART_SIZE:-$((2 << 30))} XFER_JOB_PARALLEL=${XFER_JOB_PARALLEL:-3}
  XFER_PARTS=$(( (XFER_SIZE + XFER_CFG_PART_SIZE - 1) / XFER_CFG_PART_SIZE )) XFER_PART_SIZE=$XFER_CFG_PART_SIZE
  XFER_MIB=$(awk -v b="$XFER_SIZE" 'BEGIN{printf "%g", b / 1048576}')
  XFER_S3PROXY_PID=$(gc_pid_get "$GOLDCREST_STATE/s3proxy/s3proxy.pid") || { XFER_S3PROXY_PID=""; gc_warn "S3Proxy's pid is unknown: its CPU is not reported"; }
  s3_data=$(sed -n 's/^jclouds.filesystem.basedir=//p' "$GOLDCREST_STATE/s3proxy/s3proxy.properties" 2>/dev/null || true)
  [ -n "$s3_data" ] && [ -d "$s3_data" ] || { s3_data=""; gc_warn "cannot tell where S3Proxy keeps its objects: its disk is not checked, and an upload's object counts as there when its complete is answered"; }
  XFER_S3_DATA=${s3_data%/}
  XFER_HOME=$(getent passwd "$XFER_USER" | cut -d: -f6)
  [ -n "$XFER_HOME" ] && [ -d "$XFER_HOME" ] || gc_die "no home directory for $XFER_USER"
  XFER_TMP=$(mktemp -d "$BENCH_STATE/transfer.XXXXXX")
  xfer_check_disk "$s3_data"
  exec {XFER_SLEEP_FD}<> <(:)
  XFER_RUNS_FILE=$RESULTS/transfer-$STAMP-runs.txt
  : > "$XFER_RUNS_FILE"

  make_fixtures "$XFER_USER"
  XFER_DIR=${FIXTURE_OF[$XFER_USER]}
  # the download jobs cut their parts under multipart.tmp_folder in their working directory
  local tmp_folder workdir_fs
  tmp_folder=$(sed -nE 's/.*tmp_folder: *"?([^" },]+)"?.*/\1/p' "$XFER_CONFIG" | head -1)
  workdir_fs=$(sed -nE 's/.*\{path: *"([^"]+)".*default_work_dir: *true.*/\1/p' "$XFER_CONFIG" | head -1)
  if [ -n "$tmp_folder" ] && [ -n "$workdir_fs" ]; then
    case $tmp_folder in /*) ;; *) tmp_folder=${workdir_fs%/}/$XFER_USER/$tmp_folder ;; esac
    [ -e "$tmp_folder" ] || XFER_JOB_TMP=$tmp_folder
  fi

  XFER_SRC=$XFER_TMP/source.bin
  gc_log "writing $XFER_SIZE random bytes to $XFER_SRC"
  head -c "$XFER_SIZE" /dev/urandom > "$XFER_SRC"
  XFER_SHA=$(sha_of "$XFER_SRC")
  gc_log "sha256 $XFER_SHA"

  if [ "$ONLY" != baseline ]; then
    start_server "$XFER_CONFIG" "$BENCH_STATE/server-transfer.log" "staging_poll_interval 1s, watch_interval 1s"
    XFER_URL=http://127.0.0.1:$PORT
    for run in $(seq "$XFER_RUNS"); do
      gc_log "goldcrest run $run/$XFER_RUNS: upload to $XFER_DIR/goldcrest-$run.bin, then download it back"
      xfer_goldcrest_upload "$run" "$XFER_DIR/goldcrest-$run.bin"
      xfer_goldcrest_download "$run" "$XFER_DIR/goldcrest-$run.bin"
      rm -f -- "$XFER_DIR/goldcrest-$run.bin"
    done
    stop_server
  fi
  if [ "$ONLY" != goldcrest ]; then
    local ssh_opts=(-F /dev/null -o BatchMode=yes -o UserKnownHostsFile="$LC_SSH_KNOWN_HOSTS" -i "$LC_SSH_USER_KEYS/$XFER_USER")
    XFER_SCP=(-q "${ssh_opts[@]}" -P "$LC_SSH_PORT")
    # the cipher scp will use (the client's and sshd's defaults)
    XFER_CIPHER=$(ssh -v "${ssh_opts[@]}" -p "$LC_SSH_PORT" "$XFER_USER@$LC_SSH_HOST" true 2>&1 | sed -nE 's/.*kex: client->server cipher: ([^ ]+).*/\1/p' | head -1)
    XFER_CIPHER=${XFER_CIPHER:-cipher unknown}
    XFER_BUCKET=goldcrest-bench-$(date +%Y%m%d%H%M%S)-$$
    [ "$(s3_curl --request PUT --output /dev/null --write-out '%{http_code}' "$S3_ENDPOINT/$XFER_BUCKET")" = 200 ] || gc_die "cannot create the bucket $XFER_BUCKET"
    for run in $(seq "$XFER_RUNS"); do
      gc_log "baseline run $run/$XFER_RUNS: curl to S3Proxy, scp"
      xfer_s3_baseline "$run"
      xfer_scp_baseline "$run"
    done
  fi
  xfer_table >> "$REPORT"
}

cleanup() { stop_server; cancel_job_fixtures; transfer_cleanup; remove_fixtures; }
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

  start_server "$config" "$log" "$(variant_name "$2")"
  url=http://127.0.0.1:$PORT

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
if [ "$SCENARIO" = transfer ]; then
  {
    echo "Goldcrest benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')  commit $commit  scenario transfer"
    echo "$(nproc) CPUs shared by the client (curl, dd), S3Proxy, Goldcrest, sshd, Slurm and the transfer job; JDK $GC_JAVA_MAJOR"
    echo
  } > "$REPORT"
  run_transfer
  cat "$REPORT"
  cp "$REPORT" "$RESULTS/latest.txt"
  exit 0
fi
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
