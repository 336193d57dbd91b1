#!/usr/bin/env bash
# scripts/s3proxy.sh start|stop|status
#
# S3Proxy (org.gaul:s3proxy jar-with-dependencies, Maven Central) on 127.0.0.1:9000: the S3 staging area
# for development and tests. It checks SigV2/SigV4 signatures, presigned URLs included (tampered, expired
# and method-swapped URLs get 403), and supports multipart uploads; bucket lifecycle answers 501 (use
# scripts/radosgw.sh for that). Objects live on disk ('filesystem-nio2' backend) under
# $GOLDCREST_STATE/s3proxy/data: the in-heap backend runs out of memory on a few 100 MB objects.
#   endpoint http://127.0.0.1:9000   access key goldcrest   secret goldcrest-staging-secret (dev only)
# The jar (~55 MB) is fetched once with `mvn dependency:get`. Runs on the JDK from find_jdk (>= 21).
# Idempotent start; stop only touches the recorded PID.
#
# Env: GOLDCREST_STATE (/tmp/goldcrest)  GOLDCREST_S3_PORT (9000)  GOLDCREST_S3PROXY_VERSION (4.1.0)
#      GOLDCREST_S3_ACCESS_KEY (goldcrest)  GOLDCREST_S3_SECRET_KEY (goldcrest-staging-secret)
#      GOLDCREST_M2_REPO (~/.m2/repository)
set -euo pipefail
GC_TAG=s3proxy
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${GOLDCREST_S3_PORT:-9000}
VERSION=${GOLDCREST_S3PROXY_VERSION:-4.1.0}
ACCESS_KEY=${GOLDCREST_S3_ACCESS_KEY:-goldcrest}
SECRET_KEY=${GOLDCREST_S3_SECRET_KEY:-goldcrest-staging-secret}
ENDPOINT=http://127.0.0.1:$PORT
S=$GOLDCREST_STATE/s3proxy
PIDF=$S/s3proxy.pid
M2=${GOLDCREST_M2_REPO:-$HOME/.m2/repository}
JAR=$M2/org/gaul/s3proxy/$VERSION/s3proxy-$VERSION-jar-with-dependencies.jar

# Any S3 answer means it is up: anonymous ListBuckets gets 403 AccessDenied with an S3 error body.
alive() { curl -s --max-time 5 "$ENDPOINT/" 2>/dev/null | grep -q '<Code>'; }

wait_ready() {
  local i
  for i in $(seq 600); do   # 60 s; a cold start takes ~4 s
    alive && return 0
    gc_pid_get "$PIDF" >/dev/null || gc_die "s3proxy died, see $S/s3proxy.log"
    sleep 0.1
  done
  gc_die "s3proxy not answering on $ENDPOINT after 60 s, see $S/s3proxy.log"
}

start() {
  local pid t0
  t0=$(gc_now)
  gc_state_dir; mkdir -p "$S/data"
  if pid=$(gc_pid_get "$PIDF"); then
    if alive; then gc_log "already running (pid $pid), endpoint $ENDPOINT"; return 0; fi
    gc_log "pid $pid is ours but not answering yet; waiting"
    wait_ready; gc_log "up (pid $pid), endpoint $ENDPOINT"; return 0
  fi
  rm -f "$PIDF"
  gc_port_busy "$PORT" && gc_die "port 127.0.0.1:$PORT is busy (not our s3proxy; Keycloak's management port defaults to 9000 too); set GOLDCREST_S3_PORT"
  find_jdk
  if [ ! -f "$JAR" ]; then
    gc_log "fetching org.gaul:s3proxy:$VERSION:jar:jar-with-dependencies with mvn (~55 MB, once)"
    mvn -B -q dependency:get -Dartifact="org.gaul:s3proxy:$VERSION:jar:jar-with-dependencies" -Dtransitive=false </dev/null >&2 \
      || gc_die "mvn could not fetch s3proxy $VERSION"
    [ -f "$JAR" ] || gc_die "downloaded, but $JAR is not there (non-default local repository? set GOLDCREST_M2_REPO)"
  fi
  # the properties hold the secret: readable by us only
  (umask 077; cat > "$S/s3proxy.properties" <<EOF
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$S/data
EOF
  )
  cd "$S"
  # objects stream to disk, so 256 MB of heap is plenty (RSS ~110-150 MB)
  setsid nohup "$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -jar "$JAR" --properties "$S/s3proxy.properties" \
    </dev/null >"$S/s3proxy.log" 2>&1 &
  pid=$!
  gc_pid_record "$PIDF" "$pid" "$JAVA_HOME/bin/java" || gc_die "s3proxy did not start (pid $pid), see $S/s3proxy.log"
  wait_ready
  gc_log "up in $(gc_since "$t0") (pid $pid, java $(gc_jdk_major "$JAVA_HOME")), endpoint $ENDPOINT, data $S/data"
}

stop() {
  local pid
  # a JVM wedged by an OutOfMemoryError ignores SIGTERM: gc_stop_pid falls back to SIGKILL
  if pid=$(gc_pid_get "$PIDF"); then gc_stop_pid s3proxy "$pid" 10; else gc_log "not running"; fi
  rm -f "$PIDF"
}

status() {
  local pid
  if pid=$(gc_pid_get "$PIDF") && alive; then
    echo "s3proxy: running (pid $pid) endpoint $ENDPOINT"
  elif pid=$(gc_pid_get "$PIDF"); then
    echo "s3proxy: starting or unhealthy (pid $pid, $ENDPOINT does not answer)"; return 1
  else
    echo "s3proxy: stopped"; return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
