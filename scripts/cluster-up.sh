#!/usr/bin/env bash
# scripts/cluster-up.sh [DIR]      (DIR defaults to $GOLDCREST_STATE/cluster = /tmp/goldcrest/cluster)
#
# Brings up, on 127.0.0.1 only, a throw-away "HPC cluster" for Goldcrest's integration tests:
#   - a private OpenSSH sshd (127.0.0.1:$LC_SSH_PORT) with its own host key, an SSH user CA
#     (TrustedUserCAKeys), per-user static keys, no passwords, no root, no forwarding;
#   - munged (private socket), MariaDB (127.0.0.1:$LC_DB_PORT), slurmdbd, slurmctld, slurmd
#     (Slurm 22.05, single node "localhost", partitions "normal" (default) and "xfer");
#   - optionally slurmrestd (127.0.0.1:$LC_RESTD_PORT, JWT) with LC_WITH_RESTD=1.
# Everything (configs, keys, state, logs, pid files) lives under DIR. Test users are real
# Unix accounts (useradd) because sshd and Slurm need them.
# Idempotent: re-running keeps keys/state and only starts what is not already running.
# Stop with scripts/cluster-down.sh DIR (stops only the PIDs recorded under DIR/run).
# Installs missing Debian packages itself (apt-get update first), including wrk, curl and unzip
# that the rest of the project uses.
#
# Layout (paths the Java side relies on):
#   DIR/env.sh                          source me (SLURM_CONF, LC_SSH_*, GOLDCREST_CLUSTER_DIR, ...)
#   DIR/ssh/ca/user_ca(.pub)            SSH user CA, ed25519, OpenSSH format, private key mode 600
#   DIR/ssh/user_ca.pub                 copy read by sshd (TrustedUserCAKeys)
#   DIR/ssh/keys/<user>(.pub)           static per-user ed25519 keys (in ~user/.ssh/authorized_keys)
#   DIR/ssh/ssh_host_ed25519_key(.pub)  host key;  DIR/ssh/known_hosts: "[127.0.0.1]:2222 ssh-ed25519 ..."
#   DIR/slurm/slurm.conf                SLURM_CONF (sshd passes it to every session with SetEnv)
#
# Debian 12 (bookworm), run as root. Tunables (environment):
#   LC_USERS="alice bob"                 test users (created if missing, password locked-but-usable '*')
#   LC_ACCOUNTS="proj1:alice,bob proj2:alice"  Slurm accounts and their users (first listed = default)
#   LC_SSH_PORT=2222 LC_CTLD_PORT=6817 LC_SLURMD_PORT=6818 LC_DBD_PORT=6819 LC_DB_PORT=3307 LC_RESTD_PORT=6820
#   LC_CLUSTER=lc                        Slurm ClusterName
#   LC_NODE_CPUS=8 LC_NODE_MEM_MB=4000   what the node advertises (config_overrides: may exceed hardware)
#   LC_WITH_DBD=1                        0 = no MariaDB/slurmdbd (no sacct)
#   LC_WITH_RESTD=0                      1 = also start slurmrestd (rest_auth/jwt)
#   LC_SFTP=internal-sftp                or /usr/lib/openssh/sftp-server
#   LC_SKIP_INSTALL=0                    1 = do not call apt-get at all
#   LC_FORCE_UTS=0                       1 = run Slurm daemons in a UTS namespace named "localhost" even
#                                        if `hostname` already resolves to 127.x (done automatically if not)
set -euo pipefail

GC_TAG=cluster-up
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "must run as root" >&2; exit 2; }
if [ -z "${1:-}" ]; then gc_state_dir; fi
DIR=${1:-$GOLDCREST_STATE/cluster}
case "$DIR" in /*) ;; *) DIR="$(pwd)/$DIR" ;; esac
DIR=${DIR%/}

LC_USERS=${LC_USERS:-"alice bob"}
LC_ACCOUNTS=${LC_ACCOUNTS:-"proj1:alice,bob proj2:alice"}
LC_SSH_PORT=${LC_SSH_PORT:-2222}
LC_CTLD_PORT=${LC_CTLD_PORT:-6817}
LC_SLURMD_PORT=${LC_SLURMD_PORT:-6818}
LC_DBD_PORT=${LC_DBD_PORT:-6819}
LC_DB_PORT=${LC_DB_PORT:-3307}
LC_RESTD_PORT=${LC_RESTD_PORT:-6820}
LC_CLUSTER=${LC_CLUSTER:-lc}
LC_NODE_CPUS=${LC_NODE_CPUS:-8}
LC_NODE_MEM_MB=${LC_NODE_MEM_MB:-4000}
LC_WITH_DBD=${LC_WITH_DBD:-1}
LC_WITH_RESTD=${LC_WITH_RESTD:-0}
LC_SFTP=${LC_SFTP:-internal-sftp}
LC_SKIP_INSTALL=${LC_SKIP_INSTALL:-0}
LC_FORCE_UTS=${LC_FORCE_UTS:-0}
DB_PASS=slurmdbpass   # loopback-only throw-away database

T_START=$(date +%s%N)
log() { local ms=$(( ($(date +%s%N) - T_START) / 1000000 )); printf '[cluster-up %3d.%01ds] %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"; }
die() { echo "[cluster-up] ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- 1. packages
# wrk (benchmark), curl, unzip (Keycloak dist), python3 (smoke test, ./goldcrest token) are for the rest of the project
PKGS=(openssh-server openssh-client munge slurmctld slurmd slurm-client slurmrestd slurm-wlm-jwt-plugin curl wrk unzip python3)
[ "$LC_WITH_DBD" = 1 ] && PKGS+=(slurmdbd mariadb-server)
# Never let package scripts start system services (system sshd on :22, munge, mariadb, slurm*): gc_apt_install
# puts a policy-rc.d that exits 101 in place while it runs.
[ "$LC_SKIP_INSTALL" = 1 ] || gc_apt_install "${PKGS[@]}"
for b in /usr/sbin/sshd /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd /usr/bin/sbatch; do
  [ -x "$b" ] || die "$b missing (install packages or unset LC_SKIP_INSTALL)"
done
log "packages ok ($(dpkg-query -W -f='slurm ${Version}' slurmctld), $(dpkg-query -W -f='openssh ${Version}' openssh-server))"

# ---------------------------------------------------------------- helpers
# pid file format: "PID STARTTIME EXE" -- the down script checks all three before signalling.
starttime() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; s=${s##*) }; set -- $s; echo "${20}"; }
pid_alive() { # name -> 0 if the recorded process is still the one we started
  local f="$DIR/run/$1.pid" pid st exe
  [ -f "$f" ] || return 1
  read -r pid st exe < "$f" || return 1
  [ -n "${pid:-}" ] && [ -d "/proc/$pid" ] || return 1
  [ "$(starttime "$pid")" = "$st" ] && [ "$(readlink "/proc/$pid/exe")" = "$exe" ]
}
record_pid() { # name pid expected_binary  (Debian: /usr/sbin/slurmctld -> alternatives -> slurmctld-wlm)
  local i want; want=$(readlink -f "$3")
  for i in $(seq 50); do [ "$(readlink "/proc/$2/exe" 2>/dev/null)" = "$want" ] && break; sleep 0.1; done
  [ "$(readlink "/proc/$2/exe" 2>/dev/null)" = "$want" ] || die "$1: pid $2 is not $want (died early, or setsid forked: run this script with bash, not sourced; see $DIR/log)"
  echo "$2 $(starttime "$2") $want" > "$DIR/run/$1.pid"
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_until() { # timeout_s description command...
  local t=$1 what=$2; shift 2
  local end=$(( $(date +%s) + t ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$end" ] || die "timeout waiting for $what (see $DIR/log)"
    sleep 0.2
  done
}
write_if_changed() { # path mode owner ; content on stdin
  local tmp; tmp=$(mktemp "$1.XXXX")
  cat > "$tmp"
  if [ -f "$1" ] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
  chmod "$2" "$1"; chown "$3" "$1"
}

# ---------------------------------------------------------------- 2. directory layout
mkdir -p "$DIR"
chmod 755 "$DIR"
# munge/mysql/test users must be able to traverse every parent of DIR
p="$DIR"
while [ "$p" != / ]; do
  p=$(dirname "$p")
  perm=$(stat -c %A "$p")
  [ "${perm:9:1}" = x ] || [ "${perm:9:1}" = t ] || die "$p is not world-traversable; choose DIR elsewhere (e.g. under /tmp or /srv)"
done
mkdir -p "$DIR"/{run,log,ssh/ca,ssh/keys,slurm/state,slurm/spool,munge}
touch "$DIR/.goldcrest-cluster"   # marker: cluster-down.sh --purge deletes only directories carrying it
chmod 755 "$DIR"/{run,log,ssh,ssh/keys,slurm,munge}; chmod 700 "$DIR/ssh/ca" "$DIR/slurm/state"
chown munge:munge "$DIR/munge"

# ---------------------------------------------------------------- 3. users
for u in $LC_USERS; do
  id "$u" >/dev/null 2>&1 || useradd -m -s /bin/bash "$u"
  # useradd leaves '!' (locked) in shadow; sshd with UsePAM no refuses locked accounts. '*' = no password, not locked.
  [ "$(getent shadow "$u" | cut -d: -f2)" = '*' ] || usermod -p '*' "$u"
done
id slurmrest >/dev/null 2>&1 || useradd -r -M -d /nonexistent -s /usr/sbin/nologin slurmrest
log "users ok: $LC_USERS"

# ---------------------------------------------------------------- 4. ssh: host key, CA, user keys, config
[ -f "$DIR/ssh/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C goldcrest-host -f "$DIR/ssh/ssh_host_ed25519_key"
[ -f "$DIR/ssh/ca/user_ca" ] || ssh-keygen -q -t ed25519 -N '' -C goldcrest-user-ca -f "$DIR/ssh/ca/user_ca"
cp "$DIR/ssh/ca/user_ca.pub" "$DIR/ssh/user_ca.pub"; chmod 644 "$DIR/ssh/user_ca.pub"
for u in $LC_USERS; do
  [ -f "$DIR/ssh/keys/$u" ] || ssh-keygen -q -t ed25519 -N '' -C "$u-static" -f "$DIR/ssh/keys/$u"
  h=$(getent passwd "$u" | cut -d: -f6)
  install -d -m 700 -o "$u" -g "$(id -gn "$u")" "$h/.ssh"
  install -m 600 -o "$u" -g "$(id -gn "$u")" "$DIR/ssh/keys/$u.pub" "$h/.ssh/authorized_keys"
done
echo "[127.0.0.1]:$LC_SSH_PORT $(cat "$DIR/ssh/ssh_host_ed25519_key.pub")" > "$DIR/ssh/known_hosts"
mkdir -p /run/sshd && chmod 755 /run/sshd   # privilege-separation dir sshd insists on
write_if_changed "$DIR/ssh/sshd_config" 644 root:root <<EOF
# private test sshd -- loopback only
ListenAddress 127.0.0.1:$LC_SSH_PORT
HostKey $DIR/ssh/ssh_host_ed25519_key
PidFile $DIR/run/sshd.own.pid
TrustedUserCAKeys $DIR/ssh/user_ca.pub
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers $LC_USERS
AllowTcpForwarding no
AllowStreamLocalForwarding no
AllowAgentForwarding no
X11Forwarding no
PermitTunnel no
PermitUserEnvironment no
MaxSessions 1000
MaxStartups 1000:30:2000
MaxAuthTries 10
LoginGraceTime 30
UseDNS no
LogLevel VERBOSE
SetEnv SLURM_CONF=$DIR/slurm/slurm.conf
Subsystem sftp $LC_SFTP
EOF
/usr/sbin/sshd -t -f "$DIR/ssh/sshd_config" || die "sshd config invalid"
write_if_changed "$DIR/ssh/ssh_config" 644 root:root <<EOF
# client config for manual checks: ssh -F $DIR/ssh/ssh_config -i $DIR/ssh/keys/alice alice@lc
Host lc
  HostName 127.0.0.1
  Port $LC_SSH_PORT
  UserKnownHostsFile $DIR/ssh/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  IdentitiesOnly yes
EOF

# ---------------------------------------------------------------- 5. slurm + munge + mariadb configs
[ -s "$DIR/munge/munge.key" ] || { dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none; }
chown munge:munge "$DIR/munge/munge.key"; chmod 400 "$DIR/munge/munge.key"
[ -s "$DIR/slurm/jwt_hs256.key" ] || dd if=/dev/urandom of="$DIR/slurm/jwt_hs256.key" bs=32 count=1 status=none
chmod 600 "$DIR/slurm/jwt_hs256.key"
MUNGE_SOCK="$DIR/munge/munge.socket.2"

ACCT_LINES="AccountingStorageType=accounting_storage/none"
if [ "$LC_WITH_DBD" = 1 ]; then
  ACCT_LINES="AccountingStorageType=accounting_storage/slurmdbd
AccountingStorageHost=localhost
AccountingStoragePort=$LC_DBD_PORT
# slurmctld/sacct/sacctmgr authenticate to slurmdbd with the munge socket named HERE, not AuthInfo
AccountingStoragePass=socket=$MUNGE_SOCK
AccountingStorageEnforce=associations,limits,qos
AccountingStorageTRES=cpu,mem,node,billing"
fi

write_if_changed "$DIR/slurm/slurm.conf" 644 root:root <<EOF
# single-node loopback test cluster (Slurm 22.05, Debian 12) -- no cgroups, no systemd
ClusterName=$LC_CLUSTER
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$LC_CTLD_PORT
SlurmdPort=$LC_SLURMD_PORT
# bind to the address of \`hostname\` (127.0.0.1 here) instead of 0.0.0.0 -- slurmctld needs its own keyword
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCK
CredType=cred/munge
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$DIR/slurm/jwt_hs256.key
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$DIR/slurm/state
SlurmdSpoolDir=$DIR/slurm/spool/%n
SlurmctldPidFile=$DIR/run/slurmctld.own.pid
SlurmdPidFile=$DIR/run/slurmd.own.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=30
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# trust the node definition below instead of the hardware (lets a 2-core box run $LC_NODE_CPUS jobs)
SlurmdParameters=config_overrides
$ACCT_LINES
JobCompType=jobcomp/none
MinJobAge=300
KillWait=5
InactiveLimit=0
SlurmctldTimeout=30
SlurmdTimeout=30
Waittime=0
NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=$LC_NODE_CPUS Boards=1 SocketsPerBoard=1 CoresPerSocket=$LC_NODE_CPUS ThreadsPerCore=1 RealMemory=$LC_NODE_MEM_MB State=UNKNOWN
PartitionName=normal Nodes=localhost Default=YES MaxTime=1-00:00:00 DefaultTime=01:00:00 State=UP
PartitionName=xfer Nodes=localhost Default=NO MaxTime=1-00:00:00 DefaultTime=00:30:00 State=UP
EOF
mkdir -p "$DIR/slurm/spool/localhost"

if [ "$LC_WITH_DBD" = 1 ]; then
  write_if_changed "$DIR/slurm/slurmdbd.conf" 600 root:root <<EOF
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCK
AuthAltTypes=auth/jwt
AuthAltParameters=jwt_key=$DIR/slurm/jwt_hs256.key
DbdHost=localhost
DbdAddr=127.0.0.1
DbdPort=$LC_DBD_PORT
CommunicationParameters=NoInAddrAny
SlurmUser=root
DebugLevel=info
LogFile=$DIR/log/slurmdbd.log
PidFile=$DIR/run/slurmdbd.own.pid
StorageType=accounting_storage/mysql
StorageHost=127.0.0.1
StoragePort=$LC_DB_PORT
StorageUser=slurm
StoragePass=$DB_PASS
StorageLoc=slurm_acct_db
EOF
  mkdir -p "$DIR/mariadb/data" "$DIR/mariadb/run"
  chown -R mysql:mysql "$DIR/mariadb"; chmod 750 "$DIR/mariadb/data"
  write_if_changed "$DIR/mariadb/my.cnf" 644 root:root <<EOF
[mysqld]
user=mysql
datadir=$DIR/mariadb/data
socket=$DIR/mariadb/run/mysqld.sock
pid-file=$DIR/mariadb/run/mysqld.pid
log-error=$DIR/mariadb/mariadb.err
port=$LC_DB_PORT
bind-address=127.0.0.1
skip-name-resolve
skip-log-bin
performance_schema=OFF
innodb_buffer_pool_size=64M
innodb_log_file_size=64M
innodb_lock_wait_timeout=900
max_connections=100
[client]
socket=$DIR/mariadb/run/mysqld.sock
EOF
fi

export SLURM_CONF="$DIR/slurm/slurm.conf"
export LC_DIR="$DIR"
cat > "$DIR/env.sh" <<EOF
# source me: environment for talking to the local test cluster
export SLURM_CONF=$DIR/slurm/slurm.conf
export LC_DIR=$DIR
export LC_SSH_HOST=127.0.0.1 LC_SSH_PORT=$LC_SSH_PORT
export LC_SSH_KNOWN_HOSTS=$DIR/ssh/known_hosts
export LC_SSH_HOST_PUBKEY=$DIR/ssh/ssh_host_ed25519_key.pub
export LC_SSH_CA_KEY=$DIR/ssh/ca/user_ca            # sign: ssh-keygen -s \$LC_SSH_CA_KEY -I id -n USER -V +5m KEY.pub
export LC_SSH_USER_KEYS=$DIR/ssh/keys               # static keys: \$LC_SSH_USER_KEYS/<user>[.pub]
export LC_USERS="$LC_USERS"
export LC_RESTD_URL=http://127.0.0.1:$LC_RESTD_PORT # only if started with LC_WITH_RESTD=1
export LC_CLUSTER=$LC_CLUSTER LC_ACCOUNTS="$LC_ACCOUNTS"
export GOLDCREST_CLUSTER_DIR=$DIR
EOF
chmod 644 "$DIR/env.sh"
log "configs written"

# ---------------------------------------------------------------- 6. loopback-only binding for Slurm
# Slurm daemons bind to the address `hostname` resolves to (NoInAddrAny). If that is not loopback,
# run them in their own UTS namespace whose hostname is "localhost".
NS=()
HOSTIP=$(getent ahostsv4 "$(hostname)" | awk 'NR==1{print $1}')
if [ "$LC_FORCE_UTS" = 1 ] || [[ "$HOSTIP" != 127.* ]]; then
  unshare --uts true 2>/dev/null || die "hostname $(hostname) resolves to '$HOSTIP' (not loopback) and no UTS namespace is available"
  NS=(unshare --uts sh -c 'hostname localhost && exec "$@"' sh)
  echo "[cluster-up] note: Slurm daemons run in a UTS namespace (hostname=localhost); host name $(hostname) -> '$HOSTIP'"
fi

cd "$DIR"   # daemons inherit cwd; keep them off whatever cwd the caller had

# ---------------------------------------------------------------- 7. daemons
start_munged() {
  pid_alive munged && { log "munged already running"; return; }
  rm -f "$MUNGE_SOCK" "$MUNGE_SOCK.lock"
  setsid setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F \
      --socket="$MUNGE_SOCK" --key-file="$DIR/munge/munge.key" --pid-file="$DIR/munge/munged.pid" \
      --seed-file="$DIR/munge/munged.seed" --num-threads=10 \
      </dev/null >>"$DIR/log/munged.log" 2>&1 &
  record_pid munged $! /usr/sbin/munged
  wait_until 20 munged bash -c "munge -S '$MUNGE_SOCK' -n | unmunge -S '$MUNGE_SOCK'"
  log "munged up (pid $(cut -d' ' -f1 "$DIR/run/munged.pid"))"
}

start_mariadb() {
  pid_alive mariadbd && { log "mariadbd already running"; return; }
  port_busy "$LC_DB_PORT" && die "port $LC_DB_PORT busy (set LC_DB_PORT)"
  if [ ! -d "$DIR/mariadb/data/mysql" ]; then
    mariadb-install-db --defaults-file="$DIR/mariadb/my.cnf" --auth-root-authentication-method=socket \
        --skip-test-db >"$DIR/log/mariadb-install.log" 2>&1 || die "mariadb-install-db failed (see log)"
  fi
  setsid /usr/sbin/mariadbd --defaults-file="$DIR/mariadb/my.cnf" </dev/null >>"$DIR/log/mariadbd.out" 2>&1 &
  record_pid mariadbd $! /usr/sbin/mariadbd
  wait_until 60 mariadb mariadb-admin --defaults-file="$DIR/mariadb/my.cnf" ping
  mariadb --defaults-file="$DIR/mariadb/my.cnf" -uroot <<EOF
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
CREATE USER IF NOT EXISTS 'slurm'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'localhost';
FLUSH PRIVILEGES;
EOF
  log "mariadbd up (pid $(cut -d' ' -f1 "$DIR/run/mariadbd.pid"))"
}

start_slurmdbd() {
  pid_alive slurmdbd && { log "slurmdbd already running"; return; }
  port_busy "$LC_DBD_PORT" && die "port $LC_DBD_PORT busy (set LC_DBD_PORT)"
  setsid "${NS[@]}" /usr/sbin/slurmdbd -D </dev/null >>"$DIR/log/slurmdbd.out" 2>&1 &
  record_pid slurmdbd $! /usr/sbin/slurmdbd
  wait_until 60 slurmdbd timeout 10 sacctmgr -n show cluster
  log "slurmdbd up (pid $(cut -d' ' -f1 "$DIR/run/slurmdbd.pid"))"
}

setup_accounts() {
  # one query, then only the missing pieces (each sacctmgr call costs ~0.3-0.5 s)
  local have spec a users u acct_add="" ulist="" uaccts
  sacctmgr -n -P show cluster format=cluster | grep -qx "$LC_CLUSTER" || sacctmgr -i add cluster "$LC_CLUSTER" >/dev/null
  have=$(sacctmgr -n -P show assoc cluster="$LC_CLUSTER" format=account,user)
  for spec in $LC_ACCOUNTS; do
    a=${spec%%:*}; users=${spec#*:}
    grep -qx "$a|" <<<"$have" || acct_add+="${acct_add:+,}$a"
    for u in ${users//,/ }; do grep -qx "$a|$u" <<<"$have" || ulist+=" $u:$a"; done
  done
  [ -n "$acct_add" ] && sacctmgr -i add account "$acct_add" Description=test Organization=test >/dev/null
  # per user: all missing accounts in one call; the first account listed for a user becomes its default
  for u in $(tr ' ' '\n' <<<"$ulist" | cut -d: -f1 | awk 'NF && !seen[$0]++'); do
    uaccts=$(tr ' ' '\n' <<<"$ulist" | awk -F: -v u="$u" '$1==u{print $2}' | paste -sd, -)
    if grep -q "|$u\$" <<<"$have"; then
      sacctmgr -i add user "$u" Account="$uaccts" >/dev/null
    else
      sacctmgr -i add user "$u" Account="$uaccts" DefaultAccount="${uaccts%%,*}" >/dev/null
    fi
  done
  log "accounts ok: $LC_ACCOUNTS"
}

start_slurmctld() {
  pid_alive slurmctld && { log "slurmctld already running"; return; }
  port_busy "$LC_CTLD_PORT" && die "port $LC_CTLD_PORT busy (set LC_CTLD_PORT)"
  setsid "${NS[@]}" /usr/sbin/slurmctld -D </dev/null >>"$DIR/log/slurmctld.out" 2>&1 &
  record_pid slurmctld $! /usr/sbin/slurmctld
  wait_until 60 slurmctld bash -c 'scontrol ping | grep -q "is UP"'
  log "slurmctld up (pid $(cut -d' ' -f1 "$DIR/run/slurmctld.pid"))"
}

node_ready() { sinfo -h -n localhost -o %T | grep -qE '^(idle|mixed|allocated|completing)'; }
start_slurmd() {
  pid_alive slurmd && { log "slurmd already running"; return; }
  port_busy "$LC_SLURMD_PORT" && die "port $LC_SLURMD_PORT busy (set LC_SLURMD_PORT)"
  setsid "${NS[@]}" /usr/sbin/slurmd -D -N localhost </dev/null >>"$DIR/log/slurmd.out" 2>&1 &
  record_pid slurmd $! /usr/sbin/slurmd
  wait_until 60 "node localhost idle" node_ready
  log "slurmd up (pid $(cut -d' ' -f1 "$DIR/run/slurmd.pid")), node: $(sinfo -h -n localhost -o %T | head -1)"
}

ssh_ok() { ssh -F "$DIR/ssh/ssh_config" -i "$DIR/ssh/keys/$1" "$1@lc" true; }
start_sshd() {
  pid_alive sshd && { log "sshd already running"; return; }
  port_busy "$LC_SSH_PORT" && die "port $LC_SSH_PORT busy (set LC_SSH_PORT)"
  setsid /usr/sbin/sshd -D -f "$DIR/ssh/sshd_config" -E "$DIR/log/sshd.log" </dev/null >/dev/null 2>&1 &
  record_pid sshd $! /usr/sbin/sshd
  local first; first=$(echo $LC_USERS | awk '{print $1}')
  wait_until 20 "ssh login as $first" ssh_ok "$first"
  log "sshd up (pid $(cut -d' ' -f1 "$DIR/run/sshd.pid"))"
}

restd_ok() {
  local tok; tok=$(scontrol token username="$1" lifespan=60 | cut -d= -f2)
  curl -sf -H "X-SLURM-USER-NAME: $1" -H "X-SLURM-USER-TOKEN: $tok" "http://127.0.0.1:$LC_RESTD_PORT/slurm/v0.0.38/ping" | grep -q '"UP"'
}
start_slurmrestd() {
  pid_alive slurmrestd && { log "slurmrestd already running"; return; }
  port_busy "$LC_RESTD_PORT" && die "port $LC_RESTD_PORT busy (set LC_RESTD_PORT)"
  # SLURM_JWT=daemon makes slurmrestd use auth/jwt towards slurmctld; -u drops root after bind
  SLURM_JWT=daemon setsid /usr/sbin/slurmrestd -a rest_auth/jwt -u slurmrest "127.0.0.1:$LC_RESTD_PORT" \
      </dev/null >>"$DIR/log/slurmrestd.log" 2>&1 &
  record_pid slurmrestd $! /usr/sbin/slurmrestd
  local first; first=$(echo $LC_USERS | awk '{print $1}')
  wait_until 30 slurmrestd restd_ok "$first"
  log "slurmrestd up (pid $(cut -d' ' -f1 "$DIR/run/slurmrestd.pid"))"
}

start_munged
if [ "$LC_WITH_DBD" = 1 ]; then start_mariadb; start_slurmdbd; setup_accounts; fi
start_slurmctld
start_slurmd
start_sshd
[ "$LC_WITH_RESTD" = 1 ] && start_slurmrestd

# ---------------------------------------------------------------- 8. summary
log "READY. source $DIR/env.sh ; ssh -F $DIR/ssh/ssh_config -i $DIR/ssh/keys/<user> <user>@lc"
sinfo
for f in "$DIR"/run/*.pid; do
  case "$f" in *.own.pid) continue ;; esac
  read -r pid st exe < "$f"
  printf '  %-11s pid=%-7s rss=%s kB\n' "$(basename "$f" .pid)" "$pid" "$(awk '/^VmRSS/{print $2}' "/proc/$pid/status" 2>/dev/null)"
done
