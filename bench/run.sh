#!/usr/bin/env bash
# bench/run.sh -- Goldcrest under load, against raw MINA SSHD baselines (also: ./goldcrest bench)
#
# Scenarios (BENCH_SCENARIO; default userinfo, `all` runs userinfo, stat and ls in turn):
#   userinfo  GET /status/cluster/userinfo. Baseline: `id` over exec channels.
#   stat      GET /filesystem/cluster/ops/stat?path=~USER/goldcrest-bench/stat.txt. Baselines:
#             "sftp lstat", one SFTP lstat of the same file over pooled SFTP channels (the least a raw
#             client can do), and "exec stat -c", the command line of Goldcrest's exec path for
#             ops/stat (`env LC_ALL=C stat -c '%f %i ...' -- PATH`) over exec channels.
#   ls        GET /filesystem/cluster/ops/ls?path=~USER/goldcrest-bench/ls (100 files). Baseline: the
#             SFTP round trips Goldcrest makes for it (lstat of the directory, openDir, readDir to the
#             end, close) over pooled SFTP channels, without the users-groups-by-id@openssh.com names
#             extension (Goldcrest caches its answers, so it is off its hot path too).
#   The stat and ls fixtures are each user's own, made by this script (as root: it chowns them to the
#   user) in ~USER/goldcrest-bench, marked as the bench's by a .goldcrest-bench-fixture file, and
#   removed at exit (BENCH_KEEP_FIXTURES=1 keeps them). A goldcrest-bench without the marker is not
#   the bench's: the run stops and leaves it alone.
#
# For each scenario:
#   1. Goldcrest, fresh (its own port, BENCH_PORT), under wrk: BENCH_CLIENTS connections, half with
#      alice's token and path, half with bob's (bench/users.lua), BENCH_WARMUP seconds not counted,
#      then BENCH_DURATION seconds measured. Errors: non-2xx responses plus socket errors (connect,
#      read, write, timeout), both also shown apart under the table.
#   2. The baselines, Goldcrest stopped (bench/src/.../SshBaseline.java): the same clients, warm-up
#      and duration as virtual threads in a closed loop, one connection per user (the static keys of
#      the cluster), TCP_NODELAY as in Goldcrest's pool. Exec baselines use at most
#      max_channels_per_connection channels per connection, SFTP baselines max_channels_per_connection/2
#      SFTP channels kept open, each lent to one request at a time, as Goldcrest's pool does.
#   3. A table of requests/s, p50/p99 latency and errors, and the ratio Goldcrest/baseline of
#      requests/s for each baseline, with CPU use per request (server, wrk or baseline client, and the
#      rest of the machine: sshd, sftp-server, the commands, anything else running). All tables go to
#      bench/results/latest.txt (plus a time-stamped copy; the raw wrk and baseline output beside it).
#
# Needs: the local cluster and mock IdP (./goldcrest services up, or cluster up + scripts/idp-mock.sh
# start) and wrk; root for the stat and ls scenarios. Builds target/goldcrest.jar and
# bench/target/goldcrest-bench.jar when missing or older than their sources.
#
# Env: BENCH_SCENARIO (userinfo|stat|ls|all; userinfo)
#      BENCH_DURATION (30)  BENCH_CLIENTS (500)  BENCH_WARMUP (5)  BENCH_PORT (8100)
#      BENCH_THREADS (2, wrk threads; keep it even so the users split in half)
#      BENCH_PATH (userinfo scenario only: the path requested instead of /status/cluster/userinfo,
#                  e.g. /status/liveness to measure the HTTP layer alone)
#      BENCH_ONLY (goldcrest|baseline: run one side only)
#      BENCH_KEEP_FIXTURES (1: leave ~USER/goldcrest-bench in place at exit)
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
WARMUP=${BENCH_WARMUP:-5}
PORT=${BENCH_PORT:-8100}
THREADS=${BENCH_THREADS:-2}
ONLY=${BENCH_ONLY:-}
USERS="alice bob"
LS_ENTRIES=100
FIXTURE_NAME=goldcrest-bench
FIXTURE_MARK=.goldcrest-bench-fixture
case "$SCENARIO" in
  userinfo|stat|ls) SCENARIOS=$SCENARIO ;;
  all) SCENARIOS="userinfo stat ls" ;;
  *) gc_die "BENCH_SCENARIO must be userinfo, stat, ls or all (got '$SCENARIO')" ;;
esac
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
if [ "$ONLY" != baseline ] && stale target/goldcrest.jar src/main pom.xml; then
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
cleanup() { stop_server; remove_fixtures; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ scenarios
# Sets, for scenario $1: LABEL, URL_DESC, PATHS (request path per user, in USERS order), FS_PATHS
# (comma-separated file paths per user, for the baselines), BASELINES (baseline ops), EXPECT (entries).
scenario() {
  local u
  PATHS=() FS_PATHS="" EXPECT=-1
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
  esac
}
baseline_label() {
  case $1 in
    id) echo "ssh exec id" ;;
    exec-stat) echo "ssh exec stat -c" ;;
    sftp-lstat) echo "sftp lstat" ;;
    sftp-ls) echo "sftp ls (no names ext.)" ;;
  esac
}
baseline_about() {
  case $1 in
    id) echo "\`id\`, the command line Goldcrest runs, over at most $CHANNELS exec channels per user" ;;
    exec-stat) echo "the \`env LC_ALL=C stat -c ...\` command line of Goldcrest's exec path for ops/stat, over at most $CHANNELS exec channels per user" ;;
    sftp-lstat) echo "one SFTP lstat per request over $SFTP_CHANNELS pooled SFTP channels per user (the least a raw client can do)" ;;
    sftp-ls) echo "Goldcrest's SFTP round trips (lstat, openDir, readDir to the end, close) over $SFTP_CHANNELS pooled SFTP channels per user;" \
      "no users-groups-by-id@openssh.com names extension (Goldcrest caches its answers)" ;;
  esac
}

# ------------------------------------------------------------------ 1. Goldcrest under wrk
GC_LINE="" GC_NOTE=""
run_goldcrest() { # SCENARIO
  local log=$BENCH_STATE/server-$1.log out=$RESULTS/wrk-$STAMP-$1.txt url
  gc_port_busy "$PORT" && gc_die "127.0.0.1:$PORT is in use (BENCH_PORT=... to choose another)"
  # The probe below fills the accounts cache; a run that outlives it measures a refresh under load.
  if [ "$1" = userinfo ] && [ "${PATHS[0]}" = "/status/$SYSTEM/userinfo" ] && [ $((WARMUP + DURATION + 5)) -ge "${ACCOUNTS_TTL:-60}" ]; then
    gc_warn "warm-up + duration reach accounts_cache_ttl (${ACCOUNTS_TTL:-60} s): the run includes a refresh of the accounts cache"
  fi

  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -jar target/goldcrest.jar "$CONFIG" > "$log" 2>&1 &
  SERVER_PID=$!
  gc_log "goldcrest pid $SERVER_PID on 127.0.0.1:$PORT (log $log)"
  url=http://127.0.0.1:$PORT
  if ! gc_wait_until 60 "goldcrest" gc_http_ok "$url/status/liveness"; then
    tail -20 "$log" >&2; gc_die "goldcrest did not answer on $url within 60 s"
  fi

  # Fresh tokens (they live 300 s), and one request per user that must succeed.
  local u i token tokens=() users=($USERS) code entries
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
  done
  export BENCH_TOKENS="${tokens[*]}" BENCH_PATHS="${PATHS[*]}"

  local wrk_args=(-t "$THREADS" -c "$CLIENTS" --timeout 10s -s "$BENCH_DIR/users.lua")
  if [ "$WARMUP" -gt 0 ]; then
    gc_log "warm-up: wrk ${WARMUP}s, $CLIENTS connections, $URL_DESC"
    wrk "${wrk_args[@]}" -d "${WARMUP}s" "$url${PATHS[0]}" > "$BENCH_STATE/wrk-warmup.txt" 2>&1 || { cat "$BENCH_STATE/wrk-warmup.txt" >&2; gc_die "wrk failed"; }
  fi
  gc_log "run: wrk ${DURATION}s, $CLIENTS connections ($THREADS threads), $URL_DESC"
  local t0 m0 t1 m1 o0 o1 c0 c1
  t0=$(proc_ticks "$SERVER_PID"); m0=$(machine_ticks); o0=$(listen_overflows); children_cpu; c0=$CHILD_MS
  wrk "${wrk_args[@]}" -d "${DURATION}s" --latency "$url${PATHS[0]}" > "$out" 2>&1 || { cat "$out" >&2; gc_die "wrk failed"; }
  t1=$(proc_ticks "$SERVER_PID"); m1=$(machine_ticks); o1=$(listen_overflows); children_cpu; c1=$CHILD_MS
  cat "$out" >&2
  GC_LINE=$(parse_wrk "$out") || gc_die "cannot read wrk's output ($out)"
  GC_NOTE=$(awk -v t="$((t1 - t0))" -v hz="$HZ" -v m0="$m0" -v m1="$m1" -v w="$((c1 - c0))" -v line="$GC_LINE" 'BEGIN{
    split(line, r, " "); n = r[1]
    split(m0, a, " "); split(m1, b, " ")
    server = t * 1000 / hz; rest = (b[1] - a[1]) * 1000 / hz - server - w; if (rest < 0) rest = 0
    printf "errors %d non-2xx + %d socket; server JVM CPU %.3f ms/request, wrk %.3f, rest of the machine %.3f; machine CPU busy %.0f%%",
      r[6], r[7], (n > 0 ? server / n : 0), (n > 0 ? w / n : 0), (n > 0 ? rest / n : 0), 100 * (b[1] - a[1]) / (b[2] - a[2])}')
  [ -z "$o0" ] || GC_NOTE+="; TCP listen-queue overflows $((o1 - o0))"
  if [ "$(echo "$GC_LINE" | cut -d' ' -f6)" -gt 0 ]; then
    # The access log (one line per request, warm-up included) tells which statuses they were.
    GC_NOTE+=$'\n'"           non-2xx statuses in the server's access log (all its requests, warm-up included): $(grep -o '"status":[45][0-9][0-9]' "$log" \
      | sort | uniq -c | awk '{sub(/"status":/, "", $2); printf "%s%d x %s", (NR > 1 ? ", " : ""), $1, $2}') (see $log)"
  fi
  stop_server
}

# ------------------------------------------------------------------ 2. the SSH baselines
declare -A BASE_LINE=() BASE_NOTE=()
run_baseline() { # SCENARIO OP
  local out=$RESULTS/baseline-$STAMP-$1-$2.txt args=()
  [ -z "$FS_PATHS" ] || args+=(--paths "$FS_PATHS")
  [ "$EXPECT" -lt 0 ] || args+=(--expect-entries "$EXPECT")
  gc_log "baseline $2: ${WARMUP}s warm-up + ${DURATION}s, $CLIENTS clients"
  "$JAVA_HOME/bin/java" -jar bench/target/goldcrest-bench.jar --host-key "$HOST_KEY" --keys "$KEYS" \
    --users "${USERS// /,}" --clients "$CLIENTS" --channels "$CHANNELS" --sftp-channels "$SFTP_CHANNELS" \
    --duration "$DURATION" --warmup "$WARMUP" --command-timeout "$CMD_TIMEOUT" --op "$2" --clk-tck "$HZ" "${args[@]}" \
    > "$out" 2>&1 || { cat "$out" >&2; gc_die "the baseline failed"; }
  cat "$out" >&2
  BASE_LINE[$2]=$(awk '/^BASELINE /{for (i = 2; i <= NF; i++) { split($i, kv, "="); w[kv[1]] = kv[2] }
      printf "%d %d %d %d %d\n", w["requests"], w["duration_s"] * 1e6, w["p50_us"], w["p99_us"], w["errors"]; found = 1}
      END{exit !found}' "$out") || gc_die "cannot read the baseline's output ($out)"
  BASE_NOTE[$2]=$(sed -nE 's/^BASELINE .*client_cpu_ms_per_req=([0-9.]+) rest_cpu_ms_per_req=([0-9.]+) machine_busy_pct=([0-9]+).*/client JVM CPU \1 ms\/request, rest of the machine \2; machine CPU busy \3%/p' "$out")
}

# ------------------------------------------------------------------ 3. the tables
row() { # LABEL "requests duration_us p50_us p99_us errors"
  local label=$1; set -- $2
  awk -v l="$label" -v n="$1" -v d="$2" -v p50="$3" -v p99="$4" -v e="$5" \
    'BEGIN{printf "%-40s %12.1f %10.1f %10.1f %8d\n", l, (d > 0 ? n / (d / 1e6) : 0), p50 / 1000, p99 / 1000, e}'
}
rps() { set -- $1; awk -v n="$1" -v d="$2" 'BEGIN{print (d > 0 ? n / (d / 1e6) : 0)}'; }
table() { # SCENARIO
  local op
  echo "== $1: $URL_DESC"
  printf '%-40s %12s %10s %10s %8s\n' "" "requests/s" "p50 ms" "p99 ms" "errors"
  [ -z "$GC_LINE" ] || row "goldcrest $LABEL" "$GC_LINE"
  for op in $BASELINES; do
    [ -z "${BASE_LINE[$op]:-}" ] || row "baseline $(baseline_label "$op")" "${BASE_LINE[$op]}"
  done
  if [ -n "$GC_LINE" ]; then
    for op in $BASELINES; do
      [ -z "${BASE_LINE[$op]:-}" ] || awk -v l="ratio goldcrest/$(baseline_label "$op")" -v g="$(rps "$GC_LINE")" -v b="$(rps "${BASE_LINE[$op]}")" \
        'BEGIN{printf "%-40s %12.3f\n", l, (b > 0 ? g / b : 0)}'
    done
  fi
  echo
  [ -z "$GC_NOTE" ] || echo "goldcrest: $GC_NOTE"
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
  echo "$CLIENTS clients (half alice, half bob), ${WARMUP}s warm-up + ${DURATION}s per run; $(nproc) CPUs shared by wrk or the baseline, Goldcrest and sshd; JDK $GC_JAVA_MAJOR"
  echo
} > "$REPORT"

case " $SCENARIOS " in *" stat "*|*" ls "*) make_fixtures ;; esac
for s in $SCENARIOS; do
  scenario "$s"
  GC_LINE="" GC_NOTE="" BASE_LINE=() BASE_NOTE=()
  [ "$ONLY" = baseline ] || run_goldcrest "$s"
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
