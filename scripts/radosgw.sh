#!/usr/bin/env bash
# scripts/radosgw.sh start|stop|status
#
# A single-node Ceph (Debian 12: Pacific 16.2.x) with radosgw on 127.0.0.1:7480: the realistic S3 for
# tests that need what S3Proxy lacks, chiefly *enforced* bucket lifecycle rules. One mon (v1, 127.0.0.1:6789),
# one OSD on memstore (objects live in the OSD's RAM), radosgw (beast); no mgr, no systemd, cephx off
# (loopback test cluster only). `rgw lc debug interval = 10` makes one lifecycle "day" last 10 s, so an
# `Expiration: Days 1` rule removes objects within a few tens of seconds.
#   endpoint http://127.0.0.1:7480   access key goldcrest   secret goldcrest-staging-secret (dev only)
#   and a user of the Ceph tenant 'goldcrest' (data_transfer.tenant): access key <access key>-tenant, same secret
# Every start builds a fresh cluster under $GOLDCREST_STATE/radosgw (memstore keeps nothing across restarts
# anyway); ~13 s. Idempotent start; stop kills only the recorded PIDs (rgw, osd, mon).
# Installs ceph-mon ceph-osd radosgw ceph-common (apt, --no-install-recommends) when missing; needs root then.
# `ceph -s` reports HEALTH_WARN (no mgr): harmless.
#
# Env: GOLDCREST_STATE (/tmp/goldcrest)  GOLDCREST_RGW_PORT (7480)  GOLDCREST_RGW_MON_PORT (6789)
#      GOLDCREST_RGW_ACCESS_KEY (goldcrest)  GOLDCREST_RGW_SECRET_KEY (goldcrest-staging-secret)
#      GOLDCREST_RGW_LC_INTERVAL (10: seconds per lifecycle "day")
set -euo pipefail
GC_TAG=radosgw
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${GOLDCREST_RGW_PORT:-7480}
MON_PORT=${GOLDCREST_RGW_MON_PORT:-6789}
ACCESS_KEY=${GOLDCREST_RGW_ACCESS_KEY:-goldcrest}
SECRET_KEY=${GOLDCREST_RGW_SECRET_KEY:-goldcrest-staging-secret}
LC_INTERVAL=${GOLDCREST_RGW_LC_INTERVAL:-10}
ENDPOINT=http://127.0.0.1:$PORT
S=$GOLDCREST_STATE/radosgw
CONF=$S/ceph.conf
DAEMONS="mon osd rgw"          # start order; stopped in reverse
declare -A BINARY=([mon]=/usr/bin/ceph-mon [osd]=/usr/bin/ceph-osd [rgw]=/usr/bin/radosgw)

# an anonymous ListBuckets answers with S3 XML once radosgw serves requests
alive() { curl -s --max-time 5 "$ENDPOINT/" 2>/dev/null | grep -q '<?xml'; }
ceph_cli() { ceph -c "$CONF" --connect-timeout 5 "$@"; }
all_running() { local d; for d in $DAEMONS; do gc_pid_get "$S/$d.pid" >/dev/null || return 1; done; }
# gc_wait_until with a check that the daemon we wait for is still alive
wait_for() { # SECONDS DAEMON DESCRIPTION CMD...
  local t=$1 daemon=$2 what=$3 end; shift 3
  end=$(( $(date +%s) + t ))
  until "$@" >/dev/null 2>&1; do
    gc_pid_get "$S/$daemon.pid" >/dev/null || gc_die "ceph $daemon exited while waiting for $what, see $S/log/"
    [ "$(date +%s)" -lt "$end" ] || gc_die "no $what after ${t}s, see $S/log/"
    sleep 0.2
  done
}
osd_up() { ceph_cli osd stat 2>/dev/null | grep -q '1 up'; }

write_conf() { # FSID
  cat > "$CONF" <<EOF
[global]
fsid = $1
mon host = v1:127.0.0.1:$MON_PORT
mon initial members = a
public network = 127.0.0.0/8
ms bind ipv6 = false
ms bind msgr2 = false
# the OSD binds ports from this range (default 6800-7300): keep it clear of the local Slurm (6817-6820)
ms bind port min = 6900
ms bind port max = 7100
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
run dir = $S/run
admin socket = $S/run/\$name.asok
log file = $S/log/\$name.log
keyring = $S/keyring
osd objectstore = memstore
# an upper bound, not a reservation: memstore takes RAM as objects arrive
memstore device bytes = 4294967296
[mon.a]
mon data = $S/mon
[osd.0]
osd data = $S/osd0
osd max object name len = 460
osd max object namespace len = 64
# The OSD's own crush updates at start-up race its first monmap and crash it now and then (mon log:
# "handle_command on fsid 00000000-... != <fsid>", then osd std::out_of_range); start() places it instead.
osd crush update on start = false
osd class update on start = false
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $S/rgw
# seconds per lifecycle "day"; lifecycle processing then runs continuously instead of once a night
rgw lc debug interval = $LC_INTERVAL
rgw enable usage log = false
EOF
}

launch() { # DAEMON ARGS... -- runs a ceph daemon in the foreground of its own session, records its PID
  local daemon=$1 pid; shift
  setsid nohup "${BINARY[$daemon]}" -c "$CONF" "$@" -f </dev/null >"$S/log/$daemon.out" 2>&1 &
  pid=$!
  gc_pid_record "$S/$daemon.pid" "$pid" "${BINARY[$daemon]}" || gc_die "ceph $daemon did not start (pid $pid), see $S/log/$daemon.out"
}

start() {
  local t0 fsid osd_uuid id d pid
  t0=$(gc_now)
  gc_state_dir
  if all_running; then
    if alive; then gc_log "already running (pids $(pid_list)), endpoint $ENDPOINT"; return 0; fi
    gc_log "ours but not answering yet; waiting"
    wait_for 60 rgw "radosgw on $ENDPOINT" alive
    gc_log "up, endpoint $ENDPOINT"; return 0
  fi
  # a partial cluster (say, the OSD died: memstore lost everything) is torn down and built afresh
  for d in $DAEMONS; do gc_pid_get "$S/$d.pid" >/dev/null && { gc_log "stopping a partial cluster"; stop; break; }; done
  gc_port_busy "$PORT" && gc_die "port 127.0.0.1:$PORT is busy (not our radosgw); set GOLDCREST_RGW_PORT"
  gc_port_busy "$MON_PORT" && gc_die "port 127.0.0.1:$MON_PORT is busy (not our ceph-mon); set GOLDCREST_RGW_MON_PORT"
  gc_apt_install ceph-mon ceph-osd radosgw ceph-common
  t0=$(gc_now)   # time the cluster, not apt
  rm -rf "$S"; mkdir -p "$S"/{mon,osd0,rgw,run,log}
  fsid=$(cat /proc/sys/kernel/random/uuid)
  write_conf "$fsid"
  ceph-authtool --create-keyring "$S/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  monmaptool --create --add a "127.0.0.1:$MON_PORT" --fsid "$fsid" "$S/monmap" >/dev/null
  ceph-mon -c "$CONF" --mkfs -i a --monmap "$S/monmap" --keyring "$S/keyring" >"$S/log/mon-mkfs.out" 2>&1 \
    || gc_die "ceph-mon --mkfs failed, see $S/log/mon-mkfs.out"
  launch mon -i a
  wait_for 30 mon "monitor quorum" ceph_cli status
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  id=$(ceph_cli osd new "$osd_uuid") || gc_die "ceph osd new failed"
  [ "$id" = 0 ] || gc_die "expected OSD id 0, got '$id'"
  ceph_cli osd crush add osd.0 1.0 root=default host=localhost >/dev/null 2>&1 || gc_die "ceph osd crush add failed"
  ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" >"$S/log/osd-mkfs.out" 2>&1 \
    || gc_die "ceph-osd --mkfs failed, see $S/log/osd-mkfs.out"
  launch osd -i 0
  wait_for 60 osd "OSD up" osd_up
  launch rgw -n client.rgw.a
  wait_for 90 rgw "radosgw on $ENDPOINT" alive
  radosgw-admin -c "$CONF" user create --uid=goldcrest --display-name="Goldcrest staging" \
    --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >"$S/log/user-create.out" 2>&1 \
    || gc_die "radosgw-admin user create failed, see $S/log/user-create.out"
  radosgw-admin -c "$CONF" user create --tenant=goldcrest --uid=staging --display-name="Goldcrest staging (tenant)" \
    --access-key="$ACCESS_KEY-tenant" --secret-key="$SECRET_KEY" >>"$S/log/user-create.out" 2>&1 \
    || gc_die "radosgw-admin user create (tenant) failed, see $S/log/user-create.out"
  gc_log "up in $(gc_since "$t0") (pids $(pid_list)), endpoint $ENDPOINT, 1 lifecycle day = ${LC_INTERVAL}s"
}

pid_list() { local d out=(); for d in $DAEMONS; do out+=("$d=$(gc_pid_get "$S/$d.pid" || echo -)"); done; echo "${out[*]}"; }

stop() {
  local d pid any=0
  for d in rgw osd mon; do
    if pid=$(gc_pid_get "$S/$d.pid"); then gc_stop_pid "ceph $d" "$pid" 20; any=1; fi
    rm -f "$S/$d.pid"
  done
  [ "$any" = 1 ] || gc_log "not running"
}

status() {
  if all_running && alive; then
    echo "radosgw: running ($(pid_list)) endpoint $ENDPOINT"
  elif all_running; then
    echo "radosgw: starting or unhealthy ($(pid_list), $ENDPOINT does not answer)"; return 1
  else
    local d
    for d in $DAEMONS; do
      gc_pid_get "$S/$d.pid" >/dev/null && { echo "radosgw: partly running ($(pid_list)); scripts/radosgw.sh start rebuilds it"; return 1; }
    done
    echo "radosgw: stopped"; return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
