#!/usr/bin/env bash
# scripts/redis.sh start|stop|status
#
# Debian's redis-server on 127.0.0.1:6390 for the Redis task store's tests and for development.
# URL: redis://127.0.0.1:6390  (no password, no persistence: --save "" --appendonly no)
# The default port is not 6379 because installing the Debian package may start a system redis there.
# Installs redis-server with apt (as root) when it is missing; never uses systemd: the server runs in
# the foreground under setsid, its PID recorded like the other services. Idempotent start; stop only
# touches the recorded PID. State and log in $GOLDCREST_STATE/redis.
#
# Env: GOLDCREST_STATE (/tmp/goldcrest)  GOLDCREST_REDIS_PORT (6390)
set -euo pipefail
GC_TAG=redis
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${GOLDCREST_REDIS_PORT:-6390}
S=$GOLDCREST_STATE/redis
PIDF=$S/redis.pid
URL=redis://127.0.0.1:$PORT

alive() { [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null)" = PONG ]; }

install_if_missing() {
  command -v redis-server >/dev/null && command -v redis-cli >/dev/null && return 0
  # gc_apt_install runs apt-get update first and keeps the package from starting a system redis
  gc_apt_install redis-server
  command -v redis-server >/dev/null || gc_die "redis-server is still missing after apt-get install"
}

wait_ready() {
  local i
  for i in $(seq 100); do
    alive && return 0
    gc_pid_get "$PIDF" >/dev/null || gc_die "redis-server died, see $S/redis.log"
    sleep 0.1
  done
  gc_die "redis-server not answering PING after 10 s, see $S/redis.log"
}

start() {
  local pid t0 server
  t0=$(gc_now)
  gc_state_dir; mkdir -p "$S"
  if pid=$(gc_pid_get "$PIDF"); then
    if alive; then gc_log "already running (pid $pid), $URL"; return 0; fi
    gc_log "pid $pid is ours but not answering yet; waiting"
    wait_ready; gc_log "up (pid $pid), $URL"; return 0
  fi
  rm -f "$PIDF"
  install_if_missing
  alive && gc_die "a redis that is not ours already answers on 127.0.0.1:$PORT; stop it or set GOLDCREST_REDIS_PORT"
  gc_port_busy "$PORT" && gc_die "port 127.0.0.1:$PORT is busy; set GOLDCREST_REDIS_PORT"
  server=$(command -v redis-server)
  cd "$S"
  setsid nohup "$server" --bind 127.0.0.1 --port "$PORT" --daemonize no --save "" --appendonly no \
    --dir "$S" --logfile "$S/redis.log" </dev/null >/dev/null 2>&1 &
  pid=$!
  gc_pid_record "$PIDF" "$pid" "$server" || gc_die "redis-server did not start (pid $pid), see $S/redis.log"
  wait_ready
  gc_log "up in $(gc_since "$t0") (pid $pid, redis $(redis-server --version | sed -n "s/.* v=\([^ ]*\).*/\1/p")), $URL"
}

stop() {
  local pid
  if pid=$(gc_pid_get "$PIDF"); then gc_stop_pid redis-server "$pid" 20; else gc_log "not running"; fi
  rm -f "$PIDF"
}

status() {
  local pid
  if pid=$(gc_pid_get "$PIDF") && alive; then
    echo "redis: running (pid $pid) $URL"
  elif pid=$(gc_pid_get "$PIDF"); then
    echo "redis: starting or unhealthy (pid $pid, PING does not answer)"; return 1
  else
    echo "redis: stopped"; return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
