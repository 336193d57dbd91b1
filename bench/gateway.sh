#!/usr/bin/env bash
# bench/gateway.sh -- what the gateway's checks cost per request (issue 7), against Goldcrest with
# no gateway configuration as the baseline.
#
# One authenticated route that does no SSH work (BENCH_PATH, default /status/systems: the health
# monitor's last results), so the gateway's share of a request is not hidden behind a remote command.
# Goldcrest runs once per variant, each time with the dev config (./goldcrest dev) plus:
#   off     nothing: no policy, no rate limits (FirecREST's behaviour; the baseline)
#   policy  an authorization policy (rules by user and by group claim, read-write on every system),
#           address lists that let loopback in, registered clients required
#   local   policy + rate limits kept in the process (capacity far above what the run sends, so
#           no request is refused: the cost of taking a token is measured, not 429s)
#   redis   policy + the same rate limits kept in Redis (goldcrest.redis; one Redis round trip per
#           request, EVALSHA of Bucket4j's compare-and-swap)
# wrk: BENCH_CLIENTS connections (100) on BENCH_THREADS threads (2), half alice, half bob (users.lua),
# BENCH_WARMUP seconds (3) not counted, then BENCH_DURATION seconds (15). Printed: requests/s,
# median and 99th percentile latency, non-2xx answers, and each variant's throughput as a share of
# the baseline's. Results go to bench/results/gateway-latest.txt (and a time-stamped copy).
#
# Needs: ./goldcrest services up (cluster, mock IdP, Redis), wrk (installed by the cluster script).
# Env: BENCH_PATH  BENCH_CLIENTS  BENCH_THREADS  BENCH_WARMUP  BENCH_DURATION  BENCH_PORT (8101)
#      BENCH_VARIANTS ("off policy local redis")  GOLDCREST_REDIS_URL (redis://127.0.0.1:6390)
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
GC_TAG=bench-gateway
. "$BENCH_DIR/../scripts/lib.sh"
ROOT=$GOLDCREST_ROOT
cd "$ROOT"

PATH_UNDER_TEST=${BENCH_PATH:-/status/systems}
CLIENTS=${BENCH_CLIENTS:-100}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-3}
DURATION=${BENCH_DURATION:-15}
PORT=${BENCH_PORT:-8101}
VARIANTS=${BENCH_VARIANTS:-off policy local redis}
REDIS_URL=${GOLDCREST_REDIS_URL:-redis://127.0.0.1:6390}
STATE=$GOLDCREST_STATE/bench-gateway
CLUSTER_DIR=${GOLDCREST_CLUSTER_DIR:-$GOLDCREST_STATE/cluster}
mkdir -p "$STATE" "$BENCH_DIR/results"
command -v wrk >/dev/null || gc_die "wrk is not installed (the cluster script installs it: ./goldcrest cluster up)"
if [ ! -f target/goldcrest.jar ] || [ -n "$(find src/main pom.xml -type f -newer target/goldcrest.jar -print -quit)" ]; then
  gc_log "target/goldcrest.jar is missing or older than its sources: ./goldcrest build"
  ./goldcrest build
fi

GOLDCREST_STATE=$STATE GOLDCREST_CLUSTER_DIR=$CLUSTER_DIR ./goldcrest dev --render-only 2>/dev/null
BASE=$STATE/dev.yaml
grep -q '^goldcrest:$' "$BASE" || gc_die "$BASE has no top-level 'goldcrest:' line to add the gateway settings under"

# The dev config with lines added under its top-level goldcrest map, on the bench port, and without
# the dev metrics listener (its fixed port would clash with a server still stopping).
render() { # VARIANT FILE
  local extra=""
  case $1 in
    off) ;;
    policy|local|redis)
      extra='  gateway:
    require_registered_clients: true
    clients: {goldcrest-cli: {ip_filter: {allow: ["127.0.0.0/8", "::1"]}}}
    ip_filter: {allow: ["127.0.0.0/8", "::1"], deny: ["10.0.0.0/8"]}
    authorization:
      rules:
      - {users: [alice], services: {all: read-write}}
      - {groups: [bench-group], services: {compute: read-only}}
      - {clients: [goldcrest-cli], users: [bob], services: {status: read-only, filesystem: read-write, compute: read-write, transfer: read-write, tasks: read-only}}'
      case $1 in
        local) extra+='
    rate_limits: {store: local, per_user: {capacity: 100000000, period: 1h}, per_address: {capacity: 100000000, period: 1h}}' ;;
        redis) extra+='
    rate_limits: {store: redis, per_user: {capacity: 100000000, period: 1h}, per_address: {capacity: 100000000, period: 1h}}
  redis: {url: "'"$REDIS_URL"'", key_prefix: "bench-gateway-'"$$"'"}' ;;
      esac ;;
    *) gc_die "unknown variant '$1' (off, policy, local, redis)" ;;
  esac
  awk -v extra="$extra" -v port="$PORT" '
    /^  metrics:/ { next }
    /^ *server: *\{/ { sub(/port: *[0-9]+/, "port: " port) }
    { print }
    /^goldcrest:$/ && extra != "" { print extra }' "$BASE" > "$2"
}

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    gc_stop_pid "goldcrest (bench-gateway, port $PORT)" "$SERVER_PID" 20
    SERVER_PID=""
  fi
}
trap stop_server EXIT

declare -A RATE=() P50=() P99=() NON2XX=()
for variant in $VARIANTS; do
  config=$STATE/$variant.yaml
  log=$STATE/$variant.log
  render "$variant" "$config"
  "$JAVA_HOME/bin/java" -jar target/goldcrest.jar "$config" > "$log" 2>&1 &
  SERVER_PID=$!
  gc_wait_until 60 "goldcrest ($variant)" gc_http_ok "http://127.0.0.1:$PORT/status/liveness" || { tail -20 "$log" >&2; gc_die "goldcrest ($variant) did not start"; }
  tokens=()
  for u in alice bob; do
    tokens+=("$(./goldcrest token "$u")") || gc_die "no token for $u (is the mock IdP running?)"
  done
  for i in 0 1; do
    code=$(curl -s -o "$STATE/probe.json" -w '%{http_code}' --max-time 10 -H "Authorization: Bearer ${tokens[$i]}" "http://127.0.0.1:$PORT$PATH_UNDER_TEST")
    [ "$code" = 200 ] || { cat "$STATE/probe.json" >&2; gc_die "$variant: GET $PATH_UNDER_TEST answered $code"; }
  done
  export BENCH_TOKENS="${tokens[*]}"
  unset BENCH_PATHS
  if [ "$WARMUP" -gt 0 ]; then
    wrk -t "$THREADS" -c "$CLIENTS" -d "${WARMUP}s" --timeout 10s -s "$BENCH_DIR/users.lua" "http://127.0.0.1:$PORT$PATH_UNDER_TEST" > /dev/null
  fi
  wrk -t "$THREADS" -c "$CLIENTS" -d "${DURATION}s" --timeout 10s --latency -s "$BENCH_DIR/users.lua" \
      "http://127.0.0.1:$PORT$PATH_UNDER_TEST" > "$STATE/$variant.wrk"
  # users.lua's done() line: requests, duration_us, p50_us, p99_us, non2xx
  line=$(grep '^WRK ' "$STATE/$variant.wrk") || { cat "$STATE/$variant.wrk" >&2; gc_die "$variant: no summary line from wrk"; }
  value() { sed -nE "s/.* $1=([0-9]+).*/\1/p" <<< " ${line#WRK }"; }
  RATE[$variant]=$(awk -v r="$(value requests)" -v d="$(value duration_us)" 'BEGIN{printf "%.0f", r / (d / 1e6)}')
  P50[$variant]=$(awk -v v="$(value p50_us)" 'BEGIN{printf "%.2f", v / 1000}')
  P99[$variant]=$(awk -v v="$(value p99_us)" 'BEGIN{printf "%.2f", v / 1000}')
  NON2XX[$variant]=$(( $(value non2xx) + $(value connect) + $(value read) + $(value write) + $(value timeout) ))
  stop_server
done

out=$BENCH_DIR/results/gateway-$(date +%Y%m%d-%H%M%S).txt
{
  echo "GET $PATH_UNDER_TEST, $CLIENTS connections, $THREADS wrk threads, ${DURATION}s (after ${WARMUP}s warm-up), $(nproc) cores"
  printf '%-8s %10s %10s %10s %8s %10s\n' variant "req/s" "p50 ms" "p99 ms" errors "vs off"
  for variant in $VARIANTS; do
    share=-
    [ -n "${RATE[off]:-}" ] && share=$(awk -v a="${RATE[$variant]}" -v b="${RATE[off]}" 'BEGIN{printf "%.0f%%", 100 * a / b}')
    printf '%-8s %10s %10s %10s %8s %10s\n' "$variant" "${RATE[$variant]}" "${P50[$variant]}" "${P99[$variant]}" "${NON2XX[$variant]}" "$share"
  done
} | tee "$out"
cp "$out" "$BENCH_DIR/results/gateway-latest.txt"
