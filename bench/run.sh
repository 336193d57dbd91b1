#!/usr/bin/env bash
# bench/run.sh -- Goldcrest's userinfo under load, against the raw SSH baseline (also: ./goldcrest bench)
#
#   1. GET /status/cluster/userinfo on a fresh Goldcrest (its own port, BENCH_PORT) with wrk:
#      BENCH_CLIENTS connections, half with alice's token, half with bob's (bench/userinfo.lua),
#      BENCH_WARMUP seconds not counted, then BENCH_DURATION seconds measured. Errors: non-2xx
#      responses plus socket errors (connect, read, write, timeout).
#   2. The baseline, Goldcrest stopped: the same `id` command line over MINA SSHD exec channels, one
#      connection per user, as many channels per connection as Goldcrest's pool allows
#      (bench/src/.../SshBaseline.java), same clients, warm-up and duration.
#   3. A table of requests/s, p50/p99 latency and errors, and the ratio Goldcrest/baseline of
#      requests/s, printed and saved to bench/results/latest.txt (plus a time-stamped copy).
#
# Needs: the local cluster and mock IdP (./goldcrest services up, or cluster up + scripts/idp-mock.sh
# start) and wrk. Builds target/goldcrest.jar and bench/target/goldcrest-bench.jar when missing or
# older than their sources.
#
# Env: BENCH_DURATION (30)  BENCH_CLIENTS (500)  BENCH_WARMUP (5)  BENCH_PORT (8100)
#      BENCH_THREADS (2, wrk threads; keep it even so the users split in half)
#      BENCH_PATH (/status/cluster/userinfo; e.g. /status/liveness to measure the HTTP layer alone)
#      BENCH_ONLY (goldcrest|baseline: run one side only)
#      BENCH_JAVA_OPTS (extra JVM options for the server, e.g. -XX:StartFlightRecording=filename=x.jfr)
#      GOLDCREST_STATE (/tmp/goldcrest; the bench state goes to $GOLDCREST_STATE/bench)
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
GC_TAG=bench
. "$BENCH_DIR/../scripts/lib.sh"
ROOT=$GOLDCREST_ROOT
cd "$ROOT"

DURATION=${BENCH_DURATION:-30}
CLIENTS=${BENCH_CLIENTS:-500}
WARMUP=${BENCH_WARMUP:-5}
PORT=${BENCH_PORT:-8100}
THREADS=${BENCH_THREADS:-2}
URL_PATH=${BENCH_PATH:-/status/cluster/userinfo}
ONLY=${BENCH_ONLY:-}
USERS="alice bob"
for v in DURATION CLIENTS WARMUP PORT THREADS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || gc_die "BENCH_$v must be a whole number (got '${!v}')"
done
[ "$DURATION" -ge 1 ] && [ "$CLIENTS" -ge 1 ] && [ "$THREADS" -ge 1 ] || gc_die "BENCH_DURATION, BENCH_CLIENTS and BENCH_THREADS must be >= 1"
[ "$CLIENTS" -ge "$THREADS" ] || THREADS=$CLIENTS
case "$ONLY" in ""|goldcrest|baseline) ;; *) gc_die "BENCH_ONLY must be goldcrest or baseline" ;; esac
[ $((WARMUP + DURATION)) -le 240 ] || gc_warn "warm-up + duration > 240 s: the tokens (300 s, min_token_ttl 30 s) expire during the run"

CLUSTER_DIR=${GOLDCREST_CLUSTER_DIR:-$GOLDCREST_STATE/cluster}
BENCH_STATE=$GOLDCREST_STATE/bench
RESULTS=$BENCH_DIR/results
HOST_KEY=$CLUSTER_DIR/ssh/ssh_host_ed25519_key.pub
KEYS=$CLUSTER_DIR/ssh/keys

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

# wrk output -> "requests duration_us p50_us p99_us errors"; uses the done() line of userinfo.lua, else
# the text of --latency (units us, ms, s, m, h)
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
      if (done) printf "%d %d %d %d %d\n", w["requests"], w["duration_us"], w["p50_us"], w["p99_us"],
        w["non2xx"] + w["connect"] + w["read"] + w["write"] + w["timeout"]
      else if (req != "") printf "%d %d %d %d %d\n", req, dur, p50, p99, non2xx + sock
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
trap stop_server EXIT
trap 'exit 130' INT TERM

STAMP=$(date +%Y%m%d-%H%M%S)
GC_LINE="" BASE_LINE="" GC_NOTE="" BASE_NOTE=""

# ------------------------------------------------------------------ 1. Goldcrest under wrk
run_goldcrest() {
  local config=$BENCH_STATE/bench.yaml log=$BENCH_STATE/server.log out=$RESULTS/wrk-$STAMP.txt url
  # The dev config rendered into the bench state (the shared dev.yaml is left alone), on our port.
  GOLDCREST_STATE=$BENCH_STATE GOLDCREST_CLUSTER_DIR=$CLUSTER_DIR ./goldcrest dev --render-only 2>/dev/null
  sed -E '/^ *server: *\{/s/port: *[0-9]+/port: '"$PORT"'/' "$BENCH_STATE/dev.yaml" > "$config"
  grep -Eq '^ *server: *\{.*port: *'"$PORT"'\}' "$config" || gc_die "cannot set the port in $config (goldcrest.server is no longer a one-line map?)"
  CHANNELS=$(sed -nE 's/^ *max_channels_per_connection: *([0-9]+).*/\1/p' "$config" | head -1)
  CMD_TIMEOUT=$(sed -nE 's/.*command_execution: *([0-9]+).*/\1/p' "$config" | head -1)
  gc_port_busy "$PORT" && gc_die "127.0.0.1:$PORT is in use (BENCH_PORT=... to choose another)"
  # The probe below fills the accounts cache; a run that outlives it measures a refresh under load.
  local ttl
  ttl=$(sed -nE 's/^ *accounts_cache_ttl: *([0-9]+) *s?$/\1/p' "$config" | head -1)
  if [ "$URL_PATH" = /status/cluster/userinfo ] && [ $((WARMUP + DURATION + 5)) -ge "${ttl:-60}" ]; then
    gc_warn "warm-up + duration reach accounts_cache_ttl (${ttl:-60} s): the run includes a refresh of the accounts cache"
  fi

  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:-} -jar target/goldcrest.jar "$config" > "$log" 2>&1 &
  SERVER_PID=$!
  gc_log "goldcrest pid $SERVER_PID on 127.0.0.1:$PORT (log $log)"
  url=http://127.0.0.1:$PORT
  if ! gc_wait_until 60 "goldcrest" gc_http_ok "$url/status/liveness"; then
    tail -20 "$log" >&2; gc_die "goldcrest did not answer on $url within 60 s"
  fi

  # Fresh tokens (they live 300 s), and one request per user that must succeed.
  local u token tokens=() code
  for u in $USERS; do
    token=$(./goldcrest token "$u") || gc_die "no token for $u (is the mock IdP running?)"
    tokens+=("$token")
  done
  for i in "${!tokens[@]}"; do
    code=$(curl -s -o "$BENCH_STATE/probe.json" -w '%{http_code}' --max-time 20 -H "Authorization: Bearer ${tokens[$i]}" "$url$URL_PATH")
    [ "$code" = 200 ] || { cat "$BENCH_STATE/probe.json" >&2; echo >&2; gc_die "GET $URL_PATH as $(echo $USERS | cut -d' ' -f$((i + 1))) answered $code"; }
  done
  export BENCH_TOKENS="${tokens[*]}"

  local wrk_args=(-t "$THREADS" -c "$CLIENTS" --timeout 10s -s "$BENCH_DIR/userinfo.lua")
  if [ "$WARMUP" -gt 0 ]; then
    gc_log "warm-up: wrk ${WARMUP}s, $CLIENTS connections, GET $URL_PATH"
    wrk "${wrk_args[@]}" -d "${WARMUP}s" "$url$URL_PATH" > "$BENCH_STATE/wrk-warmup.txt" 2>&1 || { cat "$BENCH_STATE/wrk-warmup.txt" >&2; gc_die "wrk failed"; }
  fi
  gc_log "run: wrk ${DURATION}s, $CLIENTS connections ($THREADS threads), GET $URL_PATH"
  local t0 m0 t1 m1 o0 o1 c0 c1
  t0=$(proc_ticks "$SERVER_PID"); m0=$(machine_ticks); o0=$(listen_overflows); children_cpu; c0=$CHILD_MS
  wrk "${wrk_args[@]}" -d "${DURATION}s" --latency "$url$URL_PATH" > "$out" 2>&1 || { cat "$out" >&2; gc_die "wrk failed"; }
  t1=$(proc_ticks "$SERVER_PID"); m1=$(machine_ticks); o1=$(listen_overflows); children_cpu; c1=$CHILD_MS
  cat "$out" >&2
  GC_LINE=$(parse_wrk "$out") || gc_die "cannot read wrk's output ($out)"
  local requests
  requests=$(echo "$GC_LINE" | cut -d' ' -f1)
  GC_NOTE=$(awk -v t="$((t1 - t0))" -v hz="$HZ" -v n="$requests" -v m0="$m0" -v m1="$m1" -v w="$((c1 - c0))" 'BEGIN{
    split(m0, a, " "); split(m1, b, " ")
    printf "server JVM CPU %.2f ms/request, wrk %.2f ms/request; machine CPU busy %.0f%%",
      (n > 0 ? t * 1000 / hz / n : 0), (n > 0 ? w / n : 0), 100 * (b[1] - a[1]) / (b[2] - a[2])}')
  [ -z "$o0" ] || GC_NOTE+="; TCP listen-queue overflows $((o1 - o0))"
  stop_server
}

# ------------------------------------------------------------------ 2. the SSH baseline
run_baseline() {
  local out=$RESULTS/baseline-$STAMP.txt m0 m1
  m0=$(machine_ticks)
  "$JAVA_HOME/bin/java" -jar bench/target/goldcrest-bench.jar --host-key "$HOST_KEY" --keys "$KEYS" \
    --users "${USERS// /,}" --clients "$CLIENTS" --channels "${CHANNELS:-64}" --duration "$DURATION" --warmup "$WARMUP" \
    --command-timeout "${CMD_TIMEOUT:-5}" > "$out" 2>&1 || { cat "$out" >&2; gc_die "the baseline failed"; }
  m1=$(machine_ticks)
  cat "$out" >&2
  BASE_LINE=$(awk '/^BASELINE /{for (i = 2; i <= NF; i++) { split($i, kv, "="); w[kv[1]] = kv[2] }
      printf "%d %d %d %d %d\n", w["requests"], w["duration_s"] * 1e6, w["p50_us"], w["p99_us"], w["errors"]; found = 1}
      END{exit !found}' "$out") || gc_die "cannot read the baseline's output ($out)"
  BASE_NOTE=$(awk -v m0="$m0" -v m1="$m1" 'BEGIN{split(m0, a, " "); split(m1, b, " ")
    printf "machine CPU busy %.0f%% (incl. JVM start and warm-up)", 100 * (b[1] - a[1]) / (b[2] - a[2])}')
  BASE_NOTE="client $(sed -nE 's/^BASELINE .*client_cpu_ms_per_req=([0-9.]+).*/JVM CPU \1 ms\/request; /p' "$out")$BASE_NOTE"
}

# Goldcrest's limits are read from the rendered config; the baseline alone renders it too.
CHANNELS="" CMD_TIMEOUT=""
if [ "$ONLY" = baseline ]; then
  GOLDCREST_STATE=$BENCH_STATE GOLDCREST_CLUSTER_DIR=$CLUSTER_DIR ./goldcrest dev --render-only 2>/dev/null
  CHANNELS=$(sed -nE 's/^ *max_channels_per_connection: *([0-9]+).*/\1/p' "$BENCH_STATE/dev.yaml" | head -1)
  CMD_TIMEOUT=$(sed -nE 's/.*command_execution: *([0-9]+).*/\1/p' "$BENCH_STATE/dev.yaml" | head -1)
fi
[ "$ONLY" = baseline ] || run_goldcrest
[ "$ONLY" = goldcrest ] || run_baseline

# ------------------------------------------------------------------ 3. the table
row() { # LABEL "requests duration_us p50_us p99_us errors"
  local label=$1; set -- $2
  awk -v l="$label" -v n="$1" -v d="$2" -v p50="$3" -v p99="$4" -v e="$5" \
    'BEGIN{printf "%-28s %12.1f %10.1f %10.1f %8d\n", l, (d > 0 ? n / (d / 1e6) : 0), p50 / 1000, p99 / 1000, e}'
}
rps() { set -- $1; awk -v n="$1" -v d="$2" 'BEGIN{print (d > 0 ? n / (d / 1e6) : 0)}'; }
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || commit+=" + uncommitted changes"
{
  echo "Goldcrest benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')  commit $commit"
  echo "$CLIENTS clients (half alice, half bob), ${WARMUP}s warm-up + ${DURATION}s; $(nproc) CPUs shared by client and server; JDK $GC_JAVA_MAJOR"
  echo
  printf '%-28s %12s %10s %10s %8s\n' "" "requests/s" "p50 ms" "p99 ms" "errors"
  [ -z "$GC_LINE" ] || row "goldcrest GET ${URL_PATH##*/}" "$GC_LINE"
  [ -z "$BASE_LINE" ] || row "baseline ssh exec id" "$BASE_LINE"
  if [ -n "$GC_LINE" ] && [ -n "$BASE_LINE" ]; then
    awk -v g="$(rps "$GC_LINE")" -v b="$(rps "$BASE_LINE")" 'BEGIN{printf "%-28s %12.2f\n", "ratio goldcrest/baseline", (b > 0 ? g / b : 0)}'
  fi
  echo
  [ -z "$GC_NOTE" ] || echo "goldcrest: $GC_NOTE"
  [ -z "$BASE_NOTE" ] || echo "baseline:  $BASE_NOTE"
} | tee "$RESULTS/latest.txt"
cp "$RESULTS/latest.txt" "$RESULTS/result-$STAMP.txt"
