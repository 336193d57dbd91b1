#!/usr/bin/env bash
# Re-captures the fixtures in 22.05/ (and ../id/) from the local test cluster started under
# /tmp/goldcrest/cluster. Run as root: commands run as alice via su; the drain, reservation and
# hidden-partition cases change the cluster for a few seconds and are undone by the EXIT trap.
# Each <name>.command holds the line exactly as Goldcrest sends it (ShellQuoting.join(argv)).
set -euo pipefail
. /tmp/goldcrest/cluster/env.sh
here=$(cd "$(dirname "$0")" && pwd)
out=$here/22.05
idout=$here/../id
# A copy of slurm.conf whose controller and slurmdbd ports have nobody listening: the real
# "controller down" answers, without touching the running cluster.
broken=$(mktemp -d /tmp/goldcrest-slurm-capture.XXXXXX)
chmod 755 "$broken"
sed -e 's/^SlurmctldPort=.*/SlurmctldPort=6899/' -e 's/^AccountingStoragePort=.*/AccountingStoragePort=6899/' \
    "$SLURM_CONF" > "$broken/slurm.conf"
chmod 644 "$broken/slurm.conf"

cleanup() {
        scontrol update nodename=localhost state=resume >/dev/null 2>&1 || true
        scontrol delete reservationname=goldcrest_maint >/dev/null 2>&1 || true
        scontrol delete reservationname=goldcrest_core >/dev/null 2>&1 || true
        scontrol delete partitionname=goldcrest_hidden >/dev/null 2>&1 || true
        [ -n "${job:-}" ] && scancel "$job" >/dev/null 2>&1 || true
        rm -rf "$broken"
}
trap cleanup EXIT

# capture DIR NAME CONF LINE: runs LINE as alice with SLURM_CONF=CONF
capture() {
        local dir=$1 name=$2 conf=$3 line=$4
        printf '%s\n' "$line" > "$dir/$name.command"
        set +e
        su alice -s /bin/bash -c "cd ~ && export SLURM_CONF=$conf && timeout 60 $line" \
            > "$dir/$name.stdout" 2> "$dir/$name.stderr"
        echo $? > "$dir/$name.exit"
        set -e
}

SINFO="'sinfo' '-a' '-N' '--noheader' '--format=%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C'"
PARTITIONS="'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' '-a' 'show' '-o' 'partitions'"
RESERVATIONS="'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' '-a' 'show' '-o' 'reservations'"
PING="'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' 'ping'"
ok=$SLURM_CONF
down=$broken/slurm.conf

basic() {
    capture "$out" sinfo-nodes-idle "$ok" "$SINFO"
    capture "$out" partitions "$ok" "$PARTITIONS"
    capture "$out" reservations-none "$ok" "$RESERVATIONS"
    capture "$out" ping-up "$ok" "$PING"
    capture "$out" sacctmgr-assoc-alice "$ok" "'sacctmgr' 'show' 'assoc' 'user=alice' 'format=account' '-n' '-P'"
    capture "$out" sacctmgr-default-alice "$ok" "'sacctmgr' 'show' 'user' 'alice' 'format=defaultaccount' '-n' '-P'"
    capture "$out" sacctmgr-assoc-nobody "$ok" "'sacctmgr' 'show' 'assoc' 'user=nobody' 'format=account' '-n' '-P'"
    capture "$out" sacctmgr-default-nobody "$ok" "'sacctmgr' 'show' 'user' 'nobody' 'format=defaultaccount' '-n' '-P'"
    capture "$idout" id-alice "$ok" "'id'"
    # 'id' itself cannot fail for a logged-in user; a lookup of an unknown user gives the real failure shape.
    capture "$idout" id-unknown-user "$ok" "'id' 'nosuchuser'"
}

# Controller and slurmdbd unreachable.
down() {
    capture "$out" sinfo-nodes-controller-down "$down" "$SINFO"
    capture "$out" partitions-controller-down "$down" "$PARTITIONS"
    capture "$out" reservations-controller-down "$down" "$RESERVATIONS"
    capture "$out" ping-down "$down" "$PING"
    capture "$out" sacctmgr-assoc-dbd-down "$down" "'sacctmgr' 'show' 'assoc' 'user=alice' 'format=account' '-n' '-P'"
}

# One core busy: node mixed.
states() {
    job=$(su alice -s /bin/bash -c "cd ~ && export SLURM_CONF=$ok && sbatch --parsable -n1 -t 2 --wrap 'sleep 60'")
    for _ in $(seq 1 30); do [ "$(squeue -h -j "$job" -o %T)" = RUNNING ] && break; sleep 1; done
    capture "$out" sinfo-nodes-mixed "$ok" "$SINFO"
    # Drained while a job runs: draining.
    scontrol update nodename=localhost state=drain reason=goldcrest-fixture
    capture "$out" sinfo-nodes-draining "$ok" "$SINFO"
    scancel "$job"
    for _ in $(seq 1 30); do [ -z "$(squeue -h -j "$job" -o %i 2>/dev/null)" ] && break; sleep 1; done
    job=
    capture "$out" sinfo-nodes-drained "$ok" "$SINFO"
    scontrol update nodename=localhost state=resume
}

# Hidden partition (created and deleted again).
hidden() {
    scontrol create partitionname=goldcrest_hidden nodes=localhost hidden=yes state=down maxtime=10
    capture "$out" partitions-with-hidden "$ok" "$PARTITIONS"
    scontrol delete partitionname=goldcrest_hidden
}

# Reservations: one in two days (inactive), one active on a single core. The partitions' MaxTime
# is one day, so the future one cannot delay a job submitted now.
reservations() {
    scontrol create reservation reservationname=goldcrest_maint starttime=now+2days duration=60 nodes=localhost users=alice flags=maint
    scontrol create reservation reservationname=goldcrest_core starttime=now duration=5 nodes=localhost corecnt=1 users=alice,bob
    capture "$out" reservations "$ok" "$RESERVATIONS"
    # Default SLURM_TIME_FORMAT ("standard", ISO local time; the cluster runs in UTC).
    capture "$out" reservations-iso "$ok" "'scontrol' '-a' 'show' '-o' 'reservations'"
    scontrol delete reservationname=goldcrest_maint
    scontrol delete reservationname=goldcrest_core
}

# Sections to run: all by default, or those named on the command line.
for section in "${@:-basic down states hidden reservations}"; do
    for name in $section; do "$name"; done
done
echo "captured into $out and $idout"
