#!/usr/bin/env bash
# scripts/idp-mock.sh start|stop|status
#
# mock-oauth2-server (no.nav.security:mock-oauth2-server, Maven Central) on 127.0.0.1:8190 for
# development and tests. Issuer: http://127.0.0.1:8190/goldcrest  (config: scripts/mock-oauth2-config.json)
#   password grant, username=alice|bob -> sub/preferred_username=<user>, email, aud=[goldcrest], azp=<client_id>
#   client_credentials                 -> sub=<client_id>, preferred_username=service-account-<client_id>,
#                                         azp=<client_id>, aud=[goldcrest]
#   tokens expire after 300 s. NOTE: the mock accepts ANY password and ANY client secret.
# There is no fat jar on Maven Central: the classpath is resolved once with
# `mvn dependency:build-classpath` into $GOLDCREST_STATE/idp-mock and reused.
# Runs on the JDK from find_jdk (>= 21). Idempotent start; stop only touches the recorded PID.
#
# Env: GOLDCREST_STATE (/tmp/goldcrest)  GOLDCREST_MOCK_PORT (8190)  GOLDCREST_MOCK_VERSION (6.0.2)
set -euo pipefail
GC_TAG=idp-mock
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${GOLDCREST_MOCK_PORT:-8190}
VERSION=${GOLDCREST_MOCK_VERSION:-6.0.2}
S=$GOLDCREST_STATE/idp-mock
PIDF=$S/mock.pid
ISSUER=http://127.0.0.1:$PORT/goldcrest
CONFIG_SRC=$GOLDCREST_ROOT/scripts/mock-oauth2-config.json
MAIN=no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt

alive() { gc_http_ok "http://127.0.0.1:$PORT/isalive"; }

resolve_classpath() { # -> $S/cp-$VERSION.txt
  local cp=$S/cp-$VERSION.txt ok=1 j
  if [ -s "$cp" ]; then
    for j in $(tr ':' ' ' < "$cp"); do [ -f "$j" ] || { ok=0; break; }; done
    [ "$ok" = 1 ] && return 0
  fi
  gc_log "resolving mock-oauth2-server $VERSION classpath with mvn (once)"
  cat > "$S/pom.xml" <<EOF
<project><modelVersion>4.0.0</modelVersion>
  <groupId>local.goldcrest</groupId><artifactId>mock-oauth2-runner</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>no.nav.security</groupId><artifactId>mock-oauth2-server</artifactId><version>$VERSION</version></dependency></dependencies>
</project>
EOF
  (cd "$S" && mvn -B -q dependency:build-classpath -Dmdep.outputFile="$cp.tmp" </dev/null >&2) \
    || gc_die "mvn could not resolve no.nav.security:mock-oauth2-server:$VERSION"
  mv "$cp.tmp" "$cp"
}

wait_ready() { # pid
  local i
  for i in $(seq 600); do
    alive && return 0
    gc_pid_get "$PIDF" >/dev/null || gc_die "mock-oauth2-server died, see $S/mock.log"
    sleep 0.1
  done
  gc_die "mock-oauth2-server not answering /isalive after 60 s, see $S/mock.log"
}

start() {
  local pid t0
  t0=$(gc_now)
  gc_state_dir; mkdir -p "$S"
  if pid=$(gc_pid_get "$PIDF"); then
    if alive; then gc_log "already running (pid $pid), issuer $ISSUER"; return 0; fi
    gc_log "pid $pid is ours but not answering yet; waiting"
    wait_ready; gc_log "up (pid $pid), issuer $ISSUER"; return 0
  fi
  rm -f "$PIDF"
  alive && gc_die "something that is not ours already answers on 127.0.0.1:$PORT/isalive; stop it or set GOLDCREST_MOCK_PORT"
  gc_port_busy "$PORT" && gc_die "port 127.0.0.1:$PORT is busy; set GOLDCREST_MOCK_PORT"
  find_jdk
  resolve_classpath
  [ -f "$CONFIG_SRC" ] || gc_die "missing $CONFIG_SRC"
  cp "$CONFIG_SRC" "$S/mock-oauth2-config.json"   # the running server must not depend on the checkout
  cd "$S"
  SERVER_HOSTNAME=127.0.0.1 SERVER_PORT=$PORT JSON_CONFIG_PATH="$S/mock-oauth2-config.json" \
    setsid nohup "$JAVA_HOME/bin/java" -Xmx128m -XX:+UseSerialGC -cp "$(cat "$S/cp-$VERSION.txt")" "$MAIN" \
    </dev/null >"$S/mock.log" 2>&1 &
  pid=$!
  gc_pid_record "$PIDF" "$pid" "$JAVA_HOME/bin/java" || gc_die "mock-oauth2-server did not start (pid $pid), see $S/mock.log"
  wait_ready
  gc_log "up in $(gc_since "$t0") (pid $pid, java $(gc_jdk_major "$JAVA_HOME")), issuer $ISSUER"
}

stop() {
  local pid
  if pid=$(gc_pid_get "$PIDF"); then gc_stop_pid mock-oauth2-server "$pid" 20; else gc_log "not running"; fi
  rm -f "$PIDF"
}

status() {
  local pid
  if pid=$(gc_pid_get "$PIDF") && alive; then
    echo "idp-mock: running (pid $pid) issuer $ISSUER"
  elif pid=$(gc_pid_get "$PIDF"); then
    echo "idp-mock: starting or unhealthy (pid $pid, /isalive does not answer)"; return 1
  else
    echo "idp-mock: stopped"; return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
