#!/usr/bin/env bash
# scripts/keycloak.sh start|stop|status
#
# Keycloak (org.keycloak:keycloak-quarkus-dist zip from Maven Central, fetched with `mvn dependency:get`
# and unpacked under $GOLDCREST_STATE/keycloak) in dev mode (--db=dev-mem) on 127.0.0.1:8180,
# management interface on 127.0.0.1:9180, realm imported from scripts/keycloak-realm.json at every start.
#   issuer  http://127.0.0.1:8180/realms/goldcrest   (fixed by --hostname, whatever host the client uses)
#   clients goldcrest-service (confidential, secret goldcrest-service-secret: client_credentials + password
#           grant, audience mapper -> aud goldcrest), goldcrest-web (public, auth code + PKCE S256)
#   users   alice/alice-pass, bob/bob-pass;  admin console: admin/admin (master realm)
# First start of a fresh unpack ~50 s (Quarkus re-augmentation), later starts ~20 s. Idempotent start.
# Runs on the JDK from find_jdk (>= 21).
#
# Env: GOLDCREST_STATE (/tmp/goldcrest)  GOLDCREST_KC_VERSION (26.7.3)  GOLDCREST_KC_PORT (8180)
#      GOLDCREST_KC_MGMT_PORT (9180)  GOLDCREST_M2_REPO (~/.m2/repository)
set -euo pipefail
GC_TAG=keycloak
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION=${GOLDCREST_KC_VERSION:-26.7.3}
PORT=${GOLDCREST_KC_PORT:-8180}
MGMT_PORT=${GOLDCREST_KC_MGMT_PORT:-9180}
REALM=goldcrest
BASE=http://127.0.0.1:$PORT
ISSUER=$BASE/realms/$REALM
S=$GOLDCREST_STATE/keycloak
KC=$S/keycloak-$VERSION
PIDF=$S/keycloak.pid
M2=${GOLDCREST_M2_REPO:-$HOME/.m2/repository}
ZIP=$M2/org/keycloak/keycloak-quarkus-dist/$VERSION/keycloak-quarkus-dist-$VERSION.zip
REALM_SRC=$GOLDCREST_ROOT/scripts/keycloak-realm.json

# kc.sh runs java as a child and, after a re-augmentation, execs java: the recorded PID may be bash or
# java. It is ours if its start time matches and its command line names our unpacked distribution.
kc_pid() {
  local pid st
  [ -f "$PIDF" ] || return 1
  read -r pid st _ < "$PIDF" || return 1
  [ -n "${pid:-}" ] && gc_same_alive "$pid" "$st" || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$KC/" || return 1
  echo "$pid"
}
ready() { # the realm's discovery document answers and names the expected issuer
  curl -sf --max-time 5 "$ISSUER/.well-known/openid-configuration" 2>/dev/null | grep -qF "\"issuer\":\"$ISSUER\""
}
wait_ready() {
  local i
  for i in $(seq 1800); do   # 180 s
    ready && return 0
    kc_pid >/dev/null || gc_die "keycloak exited, see $S/keycloak.log"
    sleep 0.1
  done
  gc_die "keycloak not ready after 180 s, see $S/keycloak.log"
}

start() {
  local pid t0 st
  t0=$(gc_now)
  gc_state_dir; mkdir -p "$S"
  if pid=$(kc_pid); then
    if ready; then gc_log "already running (pid $pid), issuer $ISSUER"; return 0; fi
    gc_log "pid $pid is ours but not ready yet; waiting"
    wait_ready; gc_log "up (pid $pid), issuer $ISSUER"; return 0
  fi
  rm -f "$PIDF"
  gc_port_busy "$PORT" && gc_die "port 127.0.0.1:$PORT is busy (not our keycloak); set GOLDCREST_KC_PORT"
  gc_port_busy "$MGMT_PORT" && gc_die "port 127.0.0.1:$MGMT_PORT is busy; set GOLDCREST_KC_MGMT_PORT"
  find_jdk
  if [ ! -x "$KC/bin/kc.sh" ]; then
    if [ ! -f "$ZIP" ]; then
      gc_log "fetching org.keycloak:keycloak-quarkus-dist:$VERSION:zip with mvn (~177 MB, once)"
      mvn -B -q dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$VERSION:zip" -Dtransitive=false </dev/null >&2 \
        || gc_die "mvn could not fetch keycloak-quarkus-dist $VERSION"
      [ -f "$ZIP" ] || gc_die "downloaded, but $ZIP is not there (non-default local repository? set GOLDCREST_M2_REPO)"
    fi
    command -v unzip >/dev/null || gc_die "unzip missing (scripts/cluster-up.sh installs it, or: apt-get install unzip)"
    rm -rf "$KC.tmp"; mkdir -p "$KC.tmp"
    unzip -q "$ZIP" -d "$KC.tmp" || gc_die "unzip of $ZIP failed"
    mv "$KC.tmp/keycloak-$VERSION" "$KC"; rm -rf "$KC.tmp"
    gc_log "unpacked to $KC"
  fi
  [ -f "$REALM_SRC" ] || gc_die "missing $REALM_SRC"
  mkdir -p "$KC/data/import"
  cp "$REALM_SRC" "$KC/data/import/$REALM-realm.json"
  cd "$S"
  # bootstrap admin for the master realm (admin console / kcadm.sh); local tests only
  KC_BOOTSTRAP_ADMIN_USERNAME=${KC_BOOTSTRAP_ADMIN_USERNAME:-admin} \
  KC_BOOTSTRAP_ADMIN_PASSWORD=${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin} \
    setsid nohup "$KC/bin/kc.sh" start-dev --db=dev-mem --http-host=127.0.0.1 --http-port="$PORT" \
      --http-management-port="$MGMT_PORT" --hostname="$BASE" --import-realm \
      </dev/null >"$S/keycloak.log" 2>&1 &
  pid=$!
  sleep 0.2
  st=$(gc_starttime "$pid") || gc_die "keycloak exited at once, see $S/keycloak.log"
  echo "$pid $st kc.sh" > "$PIDF"
  gc_log "starting (pid $pid, java $(gc_jdk_major "$JAVA_HOME")); this takes 20-60 s"
  wait_ready
  gc_log "up in $(gc_since "$t0") (pid $pid), issuer $ISSUER"
}

stop() {
  local pid tree c
  if pid=$(kc_pid); then
    tree=$(gc_descendants "$pid")
    gc_stop_pid keycloak "$pid" 30      # kc.sh forwards SIGTERM to its java child
    for c in $tree; do [ -d "/proc/$c" ] && gc_stop_pid "keycloak child" "$c" 10; done
  else
    gc_log "not running"
  fi
  rm -f "$PIDF"
}

status() {
  local pid
  if pid=$(kc_pid) && ready; then
    echo "keycloak: running (pid $pid) issuer $ISSUER"
  elif pid=$(kc_pid); then
    echo "keycloak: starting or unhealthy (pid $pid)"; return 1
  else
    echo "keycloak: stopped"; return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
