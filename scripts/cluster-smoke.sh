#!/usr/bin/env bash
# scripts/cluster-smoke.sh [DIR] -- checks a cluster brought up by scripts/cluster-up.sh DIR (run as root)
# DIR defaults to $GOLDCREST_STATE/cluster. Prints PASS/FAIL per check and "N passed, N failed"; exit 0 = all PASS.
set -uo pipefail
GC_TAG=cluster-smoke
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DIR=${1:-$GOLDCREST_STATE/cluster}
[ -f "$DIR/env.sh" ] || { echo "no cluster at $DIR (run scripts/cluster-up.sh first)" >&2; exit 2; }
. "$DIR/env.sh"
fail=0 npass=0 nfail=0
ok()  { echo "PASS $*"; npass=$((npass + 1)); }
bad() { echo "FAIL $*"; fail=1; nfail=$((nfail + 1)); }
SSH=(ssh -F "$DIR/ssh/ssh_config")
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

# files and limits the Java side relies on
[ "$(stat -c %a "$LC_SSH_CA_KEY")" = 600 ] && head -1 "$LC_SSH_CA_KEY" | grep -q 'BEGIN OPENSSH PRIVATE KEY' \
  && ssh-keygen -l -f "$LC_SSH_CA_KEY.pub" | grep -q '(ED25519)' && ok "user CA: ed25519, OpenSSH format, mode 600" || bad "user CA key"
sshd_t=$(/usr/sbin/sshd -T -f "$DIR/ssh/sshd_config" 2>/dev/null)
grep -qx 'maxsessions 1000' <<<"$sshd_t" && grep -qx 'maxstartups 1000:30:2000' <<<"$sshd_t" \
  && ok "sshd MaxSessions 1000, MaxStartups 1000:30:2000" || bad "sshd limits"
[ "$(sinfo -h -o %P | sort | tr '\n' ' ')" = "normal* xfer " ] && ok "partitions normal (default), xfer" || bad "partitions: $(sinfo -h -o %P | tr '\n' ' ')"

# (a) static per-user key
out=$("${SSH[@]}" -i "$LC_SSH_USER_KEYS/alice" alice@lc 'id -un; echo $SLURM_CONF') \
  && [ "$(head -1 <<<"$out")" = alice ] && ok "static key login alice" || bad "static key login alice"
"${SSH[@]}" -i "$LC_SSH_USER_KEYS/alice" bob@lc true 2>/dev/null && bad "alice key accepted for bob" || ok "alice key rejected for bob"
"${SSH[@]}" -i "$LC_SSH_USER_KEYS/alice" -l root lc true 2>/dev/null && bad "root login" || ok "root login refused"

# (b) short-lived certificate from the user CA
ssh-keygen -q -t ed25519 -N '' -f "$T/eph"
ssh-keygen -q -s "$LC_SSH_CA_KEY" -I smoke-alice -n alice -V +5m "$T/eph.pub"
"${SSH[@]}" -i "$T/eph" -o CertificateFile="$T/eph-cert.pub" alice@lc true && ok "cert login alice" || bad "cert login alice"
# (c) same cert for bob, expired cert, cert from another CA
"${SSH[@]}" -i "$T/eph" -o CertificateFile="$T/eph-cert.pub" bob@lc true 2>/dev/null && bad "alice cert accepted for bob" || ok "alice cert rejected for bob"
ssh-keygen -q -t ed25519 -N '' -f "$T/old"
ssh-keygen -q -s "$LC_SSH_CA_KEY" -I smoke-old -n alice -V 20200101:20200102 "$T/old.pub"
"${SSH[@]}" -i "$T/old" -o CertificateFile="$T/old-cert.pub" alice@lc true 2>/dev/null && bad "expired cert accepted" || ok "expired cert rejected"
ssh-keygen -q -t ed25519 -N '' -f "$T/rogueca"
ssh-keygen -q -t ed25519 -N '' -f "$T/r"
ssh-keygen -q -s "$T/rogueca" -I rogue -n alice -V +5m "$T/r.pub"
"${SSH[@]}" -i "$T/r" -o CertificateFile="$T/r-cert.pub" alice@lc true 2>/dev/null && bad "foreign CA accepted" || ok "foreign CA rejected"
"${SSH[@]}" -i "$LC_SSH_USER_KEYS/alice" -W 127.0.0.1:$LC_SSH_PORT alice@lc </dev/null 2>/dev/null \
  && bad "tcp forwarding (direct-tcpip) allowed" || ok "tcp forwarding refused"

# SFTP
head -c 100000 /dev/urandom > "$T/blob"
printf 'put %s up.bin\nget up.bin %s\nrm up.bin\n' "$T/blob" "$T/blob.back" \
  | sftp -q -F "$DIR/ssh/ssh_config" -i "$LC_SSH_USER_KEYS/alice" -b - alice@lc >/dev/null \
  && cmp -s "$T/blob" "$T/blob.back" && ok "sftp put/get" || bad "sftp put/get"

# Slurm through ssh as alice
A=("${SSH[@]}" -i "$LC_SSH_USER_KEYS/alice" alice@lc)
jid=$("${A[@]}" 'cd ~ && sbatch --parsable -J smoke -o smoke-%j.out --wrap "hostname; sleep 2"') && ok "sbatch -> $jid" || bad "sbatch"
jid2=$("${A[@]}" 'cd ~ && sbatch --parsable -p xfer -A proj2 -J smokex -o /dev/null --wrap "sleep 300"') && ok "sbatch xfer -> $jid2" || bad "sbatch xfer"
sleep 1
"${A[@]}" "squeue -h -j $jid2 -o %T" | grep -qE 'RUNNING|PENDING' && ok "squeue" || bad "squeue"
"${A[@]}" "scontrol show job $jid2" | grep -q 'Partition=xfer' && ok "scontrol show job" || bad "scontrol show job"
"${A[@]}" "squeue --json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["jobs"]' && ok "squeue --json" || bad "squeue --json"
"${A[@]}" "sinfo --json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["nodes"]' && ok "sinfo --json" || bad "sinfo --json"
"${A[@]}" "scancel $jid2" && ok "scancel" || bad "scancel"
for i in $(seq 50); do st=$("${A[@]}" "squeue -h -j $jid -o %T" 2>/dev/null); [ -z "$st" ] && break; sleep 0.3; done
if grep -q accounting_storage/slurmdbd "$SLURM_CONF"; then
  sleep 1
  "${A[@]}" "sacct -n -X -j $jid,$jid2 -o jobid,state -P" | tr '\n' ' ' | grep -q "$jid2|CANCELLED" && ok "sacct" || bad "sacct"
  "${A[@]}" "sacct --json -j $jid" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["jobs"][0]["state"]["current"]=="COMPLETED", d["jobs"][0]["state"]' \
    && ok "sacct --json" || bad "sacct --json"
  "${SSH[@]}" -i "$LC_SSH_USER_KEYS/bob" bob@lc 'sbatch -A proj2x --wrap true' 2>/dev/null && bad "unknown account accepted" || ok "unknown account rejected"
fi
echo "smoke: $npass passed, $nfail failed"
exit $fail
