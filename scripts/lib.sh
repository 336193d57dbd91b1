# shellcheck shell=bash
# scripts/lib.sh -- helpers sourced by ./goldcrest and scripts/*.sh (never executed on its own).
#
#   GOLDCREST_ROOT    the checkout this file belongs to
#   GOLDCREST_STATE   run-time state (cluster, IdPs, rendered configs); default /tmp/goldcrest.
#                     It must be world-traversable: munge, mysql and the test users (alice, bob)
#                     read files below it. gc_state_dir creates it with mode 755.
#   find_jdk          exports JAVA_HOME (and PATH) for a JDK >= GOLDCREST_MIN_JAVA (21)
#   gc_log/gc_warn/gc_die, gc_pid_* (pid files "PID STARTTIME EXE"), gc_http_ok

GOLDCREST_ROOT=${GOLDCREST_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
GOLDCREST_STATE=${GOLDCREST_STATE:-/tmp/goldcrest}
GOLDCREST_MIN_JAVA=${GOLDCREST_MIN_JAVA:-21}
GC_TAG=${GC_TAG:-goldcrest}
export GOLDCREST_ROOT GOLDCREST_STATE

# ------------------------------------------------------------------ logging
gc_log()  { printf '[%s] %s\n' "$GC_TAG" "$*" >&2; }
gc_warn() { printf '[%s] warning: %s\n' "$GC_TAG" "$*" >&2; }
gc_die()  { printf '[%s] ERROR: %s\n' "$GC_TAG" "$*" >&2; exit 1; }
# seconds since the epoch with a fraction, for timings
gc_now()  { date +%s.%N; }
gc_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b-a}'; }

# ------------------------------------------------------------------ state dir
# every parent must be world-traversable (x or t for "others")
gc_check_traversable() {
  local p=$1 perm
  while [ "$p" != / ] && [ -n "$p" ]; do
    p=$(dirname "$p")
    perm=$(stat -c %A "$p") || return 1
    case "${perm:9:1}" in x|t) ;; *) gc_die "$p is not world-traversable; choose a directory elsewhere (e.g. under /tmp)";; esac
  done
}
gc_state_dir() {
  case "$GOLDCREST_STATE" in /*) ;; *) GOLDCREST_STATE="$(pwd)/$GOLDCREST_STATE" ;; esac
  GOLDCREST_STATE=${GOLDCREST_STATE%/}
  export GOLDCREST_STATE
  mkdir -p "$GOLDCREST_STATE" || gc_die "cannot create $GOLDCREST_STATE"
  chmod 755 "$GOLDCREST_STATE"
  gc_check_traversable "$GOLDCREST_STATE"
}

# ------------------------------------------------------------------ JDK
# major version of the JDK at $1 (from its release file, else from `java -version`)
gc_jdk_major() {
  local d=$1 v=""
  [ -x "$d/bin/javac" ] && [ -x "$d/bin/java" ] || return 1
  if [ -f "$d/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$d/release")
  fi
  [ -n "$v" ] || v=$("$d/bin/java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')
  v=${v#1.}            # 1.8.0 -> 8.0
  v=${v%%[.+-]*}
  [[ $v =~ ^[0-9]+$ ]] || return 1
  echo "$v"
}
# find_jdk: keep JAVA_HOME if it is a JDK >= 21, else take the newest JDK >= 21 under /usr/lib/jvm
find_jdk() {
  local d m best="" bestm=0
  if [ -n "${JAVA_HOME:-}" ] && m=$(gc_jdk_major "$JAVA_HOME") && [ "$m" -ge "$GOLDCREST_MIN_JAVA" ]; then
    best=$JAVA_HOME
  else
    for d in /usr/lib/jvm/*/; do
      d=$(readlink -f "${d%/}")
      m=$(gc_jdk_major "$d") || continue
      if [ "$m" -ge "$GOLDCREST_MIN_JAVA" ] && [ "$m" -gt "$bestm" ]; then best=$d; bestm=$m; fi
    done
  fi
  [ -n "$best" ] || gc_die "no JDK >= $GOLDCREST_MIN_JAVA found (looked at JAVA_HOME and /usr/lib/jvm/*/bin/javac); install one or set JAVA_HOME"
  export JAVA_HOME=$best
  GC_JAVA_MAJOR=$(gc_jdk_major "$best")
  case ":$PATH:" in *":$JAVA_HOME/bin:"*) ;; *) export PATH="$JAVA_HOME/bin:$PATH" ;; esac
  # Maven 3.8's bundled guava calls sun.misc.Unsafe: JDK 24+ prints 4 warning lines per mvn run without this
  if [ "$GC_JAVA_MAJOR" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in *" --sun-misc-unsafe-memory-access="*) ;;
      *) export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}

# ------------------------------------------------------------------ pid files: "PID STARTTIME EXE"
gc_starttime() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; set -- $s; echo "${20}"; }
# true while PID $1 still has start time $2 and is not a zombie
gc_same_alive() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; set -- $s "$2"; [ "$1" != Z ] && [ "${20}" = "${!#}" ]; }
# gc_pid_get FILE -> prints PID if FILE designates a live process with the recorded start time and exe
gc_pid_get() {
  local f=$1 pid st exe
  [ -f "$f" ] || return 1
  read -r pid st exe < "$f" || return 1
  [ -n "${pid:-}" ] && [ -d "/proc/$pid" ] || return 1
  gc_same_alive "$pid" "$st" || return 1
  [ "$(readlink "/proc/$pid/exe")" = "$exe" ] || return 1
  echo "$pid"
}
# gc_pid_record FILE PID EXPECTED_BINARY -- waits (5 s) until PID runs that binary, then records it
gc_pid_record() {
  local f=$1 pid=$2 want i
  want=$(readlink -f "$3")
  for i in $(seq 50); do [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$want" ] && break; sleep 0.1; done
  [ "$(readlink "/proc/$pid/exe" 2>/dev/null)" = "$want" ] || return 1
  echo "$pid $(gc_starttime "$pid") $want" > "$f"
}
# all descendants of $1
gc_descendants() {
  local root=$1 d s pid p c
  local -A kids=()
  for d in /proc/[0-9]*; do
    s=$(cat "$d/stat" 2>/dev/null) || continue
    pid=${d#/proc/}; s=${s##*) }; set -- $s
    kids[$2]+="$pid "
  done
  local queue=("$root") out=()
  while [ ${#queue[@]} -gt 0 ]; do
    p=${queue[0]}; queue=("${queue[@]:1}")
    for c in ${kids[$p]:-}; do out+=("$c"); queue+=("$c"); done
  done
  echo "${out[*]:-}"
}
# gc_stop_pid LABEL PID [TIMEOUT_S] -- SIGTERM, wait, SIGKILL
gc_stop_pid() {
  local label=$1 pid=$2 t=${3:-30} st i
  st=$(gc_starttime "$pid") || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq $((t * 10))); do
    gc_same_alive "$pid" "$st" || { gc_log "stopped $label (pid $pid)"; return 0; }
    sleep 0.1
  done
  gc_warn "$label (pid $pid) ignored SIGTERM for ${t}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null
  sleep 0.3
}

# ------------------------------------------------------------------ misc
gc_http_ok() { curl -sf -o /dev/null --max-time 5 "$1"; }
gc_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# gc_wait_until TIMEOUT_S DESCRIPTION CMD... -- poll every 0.2 s
gc_wait_until() {
  local t=$1 what=$2 end; shift 2
  end=$(( $(date +%s) + t ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.2
  done
}
# apt install of missing packages (root; apt-get update first; never starts services)
gc_apt_install() {
  local p missing=() made_policy=0
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  [ "$(id -u)" = 0 ] || gc_die "missing packages (${missing[*]}) and not root"
  gc_log "installing: ${missing[*]}"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  local t0 rc=0; t0=$(gc_now)
  export DEBIAN_FRONTEND=noninteractive
  { apt-get -o DPkg::Lock::Timeout=600 update -qq &&
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; } || rc=$?
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || gc_die "apt-get failed (rc $rc) installing: ${missing[*]}"
  gc_log "apt took $(gc_since "$t0")"
}
