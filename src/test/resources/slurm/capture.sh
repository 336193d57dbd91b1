#!/usr/bin/env bash
# Re-captures the fixtures in 22.05/ (and ../id/) from the local test cluster started under
# /tmp/goldcrest/cluster. Run as root: commands run as alice via su; the drain, reservation and
# hidden-partition cases change the cluster for a few seconds and are undone by the EXIT trap.
# The compute section submits jobs as alice and cancels every one of them on exit.
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
        local made
        for made in ${jobs_made[@]+"${jobs_made[@]}"}; do scancel "$made" >/dev/null 2>&1 || true; done
        rm -f /home/alice/goldcrest-fixture-*.out
        rm -rf "$broken"
}
jobs_made=()
trap cleanup EXIT

# capture DIR NAME CONF LINE: runs LINE as alice with SLURM_CONF=CONF
capture() {
        capture_as alice "$@"
}

# capture_as USER DIR NAME CONF LINE [STDIN]: runs LINE as USER with SLURM_CONF=CONF. Standard input
# is empty (as over SSH), or the text STDIN, which is also kept as <name>.stdin.
capture_as() {
        local user=$1 dir=$2 name=$3 conf=$4 line=$5 input=/dev/null
        printf '%s\n' "$line" > "$dir/$name.command"
        if [ $# -ge 6 ]; then
                input=$dir/$name.stdin
                printf '%s' "$6" > "$input"
        fi
        set +e
        su "$user" -s /bin/bash -c "cd ~ && export SLURM_CONF=$conf && timeout 60 $line" \
            < "$input" > "$dir/$name.stdout" 2> "$dir/$name.stderr"
        echo $? > "$dir/$name.exit"
        set -e
}

# argv_line ARG...: the arguments joined as ShellQuoting.join does it: each in '...', a ' as '\''.
argv_line() {
        local joined= arg
        for arg in "$@"; do joined+="${joined:+ }'${arg//\'/\'\\\'\'}'"; done
        printf '%s' "$joined"
}

SINFO="'sinfo' '-a' '-N' '--noheader' '--format=%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C'"
PARTITIONS="'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' '-a' 'show' '-o' 'partitions'"
RESERVATIONS="'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' '-a' 'show' '-o' 'reservations'"
PING="'env' 'SLURM_TIME_FORMAT=%s' 'scontrol' 'ping'"
ok=$SLURM_CONF
down=$broken/slurm.conf

# The jobs commands as Goldcrest sends them. Fields end with the ASCII unit separator (0x1f), the
# byte appears literally in these lines and in the .command files.
us=$'\x1f'
SQUEUE_FIELDS=(JobID JobArrayID NumNodes Cluster GroupName Account Name NodeList Partition PriorityLong State Reason
    TimeUsed StartTime EndTime TimeLimit UserName WorkDir)
SQUEUE_FORMAT=$(printf "%s:$us," "${SQUEUE_FIELDS[@]}")
SQUEUE_FORMAT=--Format=${SQUEUE_FORMAT%,}
SACCT_TAIL=(--parsable --noheader "--delimiter=$us" --format=JobIDRaw,JobID,AllocNodes,Cluster,ExitCode,Group,Account,JobName,NodeList,Partition,Priority,State,Reason,ElapsedRaw,Start,End,Suspended,TimelimitRaw,User,UID,WorkDir)
squeue_line() { argv_line env SLURM_TIME_FORMAT=%s squeue --all --noheader "$@" "$SQUEUE_FORMAT"; }
sacct_line() { argv_line env SLURM_TIME_FORMAT=%s sacct "$@" "${SACCT_TAIL[@]}"; }
SBATCH_LAUNCHER='s=$(command -v sbatch) || { echo '\''sbatch: command not found'\'' >&2; exit 127; }; d=; for a in "$@"; do shift; if [ -z "$d" ] && [ "$a" = -- ]; then d=1; set -- "$@" "$s"; else set -- "$@" "$a"; fi; done; exec env "$@"'
# sbatch_line [ENV...] -- [OPTION...]: Goldcrest's launcher, environment first.
sbatch_line() {
    local env=()
    while [ "$1" != -- ]; do env+=("$1"); shift; done
    shift
    argv_line sh -c "$SBATCH_LAUNCHER" sh ${env[@]+"${env[@]}"} -- --parsable --export=ALL --chdir=/home/alice "$@"
}

basic() {
    capture "$out" sinfo-nodes-idle "$ok" "$SINFO"
    capture "$out" partitions "$ok" "$PARTITIONS"
    capture "$out" reservations-none "$ok" "$RESERVATIONS"
    capture "$out" ping-up "$ok" "$PING"
    capture "$out" version "$ok" "'sinfo' '--version'"
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
    # The jobs commands (job id 999999: none is needed, nothing is reached).
    capture "$out" squeue-controller-down "$down" "$(squeue_line --user=alice)"
    capture "$out" sacct-dbd-down "$down" "$(sacct_line --starttime=now-24hours)"
    capture "$out" scontrol-job-controller-down "$down" "$(argv_line env SLURM_TIME_FORMAT=%s scontrol show -o job 999999)"
    capture "$out" batch-script-controller-down "$down" "$(argv_line scontrol write batch_script 999999 -)"
    capture "$out" scancel-controller-down "$down" "$(argv_line scancel --verbose 999999)"
    capture "$out" sbatch-controller-down "$down" \
        "$(sbatch_line -- --job-name=gc-rejected --output=goldcrest-fixture-%j.out)" $'#!/bin/bash\ntrue\n'
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

# as_alice LINE: runs LINE as alice (setting up jobs); prints its output.
as_alice() {
    su alice -s /bin/bash -c "cd ~ && export SLURM_CONF=$ok && $1" < /dev/null
}

# as_alice_job LINE [SCRIPT]: submits with LINE (an sbatch --parsable line, script on stdin) as alice;
# prints the id and remembers it for the cleanup.
submitted=
as_alice_job() {
    submitted=$(su alice -s /bin/bash -c "cd ~ && export SLURM_CONF=$ok && $1" <<< "${2:-}")
    submitted=${submitted%%;*}
    jobs_made+=("$submitted")
}

# wait_for COMMAND EXPECTED: until COMMAND prints EXPECTED (60 s at most).
wait_for() {
    local _
    for _ in $(seq 1 60); do
        [ "$(eval "$1" 2>/dev/null)" = "$2" ] && return 0
        sleep 1
    done
    echo "gave up waiting for '$1' to print '$2'" >&2
    return 1
}

# Jobs in every state the compute API shows, all alice's, all cancelled on exit: one running
# (submitted through Goldcrest's own sbatch line), one waiting on it (afterok), one held, an array
# limited to one task at a time, one that exited 3 after a step, one cancelled.
compute() {
    local unknown=999999 running dependent held array failed cancelled
    local array_name='goldcrest-array|with-a-pipe-in-its-name-and-longer-than-sixty-characters'
    local out_option=--output=goldcrest-fixture-%j.out

    capture_as alice "$out" sbatch-submitted "$ok" \
        "$(sbatch_line 'GC_PLACES={0,1}' "GC_NOTE=it's \$HOME; a,b" -- --job-name=gc-running "$out_option")" \
        $'#!/bin/bash\n# goldcrest fixture: runs until cancelled\nsleep 600\n'
    running=$(tr -d '\n' < "$out/sbatch-submitted.stdout")
    running=${running%%;*}
    [ -n "$running" ] || { echo "sbatch-submitted gave no job id" >&2; cat "$out/sbatch-submitted.stderr" >&2; return 1; }
    jobs_made+=("$running")
    wait_for "squeue -h -j $running -o %T" RUNNING

    as_alice_job "sbatch --parsable -J gc-dependent -t 5 $out_option --dependency=afterok:$running --wrap 'sleep 1'"
    dependent=$submitted
    as_alice_job "sbatch --parsable -J gc-held -t 5 $out_option --hold --wrap 'sleep 1'"
    held=$submitted
    as_alice_job "sbatch --parsable -J '$array_name' -t 10 $out_option --array=1-4%1 --wrap 'sleep 600'"
    array=$submitted
    wait_for "squeue -h -j ${array}_1 -o %T" RUNNING
    as_alice_job "sbatch --parsable -J gc-exit3 -t 5 $out_option" $'#!/bin/bash\nsrun -n1 true\nexit 3\n'
    failed=$submitted
    as_alice_job "sbatch --parsable -J gc-cancelled -t 5 $out_option --wrap 'sleep 600'"
    cancelled=$submitted
    wait_for "squeue -h -j $cancelled -o %T" RUNNING
    capture "$out" scancel-own "$ok" "$(argv_line scancel --verbose "$cancelled")"
    # Until accounting has both ends.
    wait_for "sacct -n -X -P -j $failed -o State" FAILED
    wait_for "sacct -n -X -P -j $cancelled -o State" "CANCELLED by $(id -u alice)"
    wait_for "squeue -h -j $dependent -o %r" Dependency
    wait_for "squeue -h -j $held -o %r" JobHeldUser
    echo "compute jobs: running=$running dependent=$dependent held=$held array=$array failed=$failed cancelled=$cancelled"

    capture "$out" squeue-alice "$ok" "$(squeue_line --user=alice)"
    capture "$out" squeue-allusers "$ok" "$(squeue_line)"
    capture "$out" squeue-job-array "$ok" "$(squeue_line --jobs="$array")"
    capture "$out" squeue-job-unknown "$ok" "$(squeue_line --jobs=$unknown)"
    capture "$out" sacct-alice "$ok" "$(sacct_line --starttime=now-24hours)"
    capture "$out" sacct-job-failed "$ok" "$(sacct_line --allusers --jobs="$failed")"
    capture "$out" sacct-job-array "$ok" "$(sacct_line --allusers --jobs="$array")"
    capture "$out" sacct-job-unknown "$ok" "$(sacct_line --allusers --jobs=$unknown)"
    # Cancelled, still held by slurmctld (MinJobAge): squeue --jobs leaves it out all the same
    # (ended states need --states=all), sacct has it.
    capture "$out" squeue-job-cancelled "$ok" "$(squeue_line --jobs="$cancelled")"
    capture "$out" sacct-job-cancelled "$ok" "$(sacct_line --allusers --jobs="$cancelled")"
    capture "$out" scontrol-job-array "$ok" "$(argv_line env SLURM_TIME_FORMAT=%s scontrol show -o job "$array")"
    capture "$out" scontrol-job-unknown "$ok" "$(argv_line env SLURM_TIME_FORMAT=%s scontrol show -o job $unknown)"
    capture "$out" batch-script-own "$ok" "$(argv_line scontrol write batch_script "$running" -)"
    capture_as bob "$out" batch-script-other-user "$ok" "$(argv_line scontrol write batch_script "$running" -)"
    capture "$out" batch-script-array "$ok" "$(argv_line scontrol write batch_script "$array" -)"
    capture "$out" batch-script-unknown "$ok" "$(argv_line scontrol write batch_script $unknown -)"
    capture_as bob "$out" scancel-other-user "$ok" "$(argv_line scancel --verbose "$running")"
    capture "$out" scancel-finished "$ok" "$(argv_line scancel --verbose "$failed")"
    capture "$out" sbatch-bad-partition "$ok" "$(sbatch_line -- --job-name=gc-rejected --partition=nosuch "$out_option")" \
        $'#!/bin/bash\ntrue\n'
    capture "$out" sbatch-bad-account "$ok" "$(sbatch_line -- --job-name=gc-rejected --account=nosuch "$out_option")" \
        $'#!/bin/bash\ntrue\n'
    capture "$out" sbatch-no-shebang "$ok" "$(sbatch_line -- --job-name=gc-rejected "$out_option")" $'true\n'
    capture "$out" sbatch-missing-script "$ok" \
        "$(sbatch_line -- --job-name=gc-rejected "$out_option" -- /home/alice/goldcrest-no-such-script.sh)" ''
}

# v1's accounting (sacct --allocations), alice's jobs: one that exited 3, one that ran to the end,
# one still running (no end yet), and bob's view of the same ids (his own jobs only).
SACCT_ALLOCATIONS_TAIL=(--parsable --noheader "--delimiter=$us" --format=JobID,Partition,JobName,User,State,Start,End,ElapsedRaw,CPUTimeRAW,NNodes,NodeList,ExitCode)
allocations_line() { argv_line env SLURM_TIME_FORMAT=%s sacct --allocations "$@" "${SACCT_ALLOCATIONS_TAIL[@]}"; }
accounting() {
    local failed done running ids
    as_alice_job "sbatch --parsable -J gc-acct-exit3 -t 5 -n 2 --output=/dev/null --wrap 'sleep 2; exit 3'"
    failed=$submitted
    as_alice_job "sbatch --parsable -J gc-acct-done -t 5 --output=/dev/null --wrap 'sleep 1'"
    done=$submitted
    as_alice_job "sbatch --parsable -J gc-acct-running -t 5 --output=/dev/null --wrap 'sleep 600'"
    running=$submitted
    wait_for "sacct -n -X -P -j $failed -o State" FAILED
    wait_for "sacct -n -X -P -j $done -o State" COMPLETED
    wait_for "sacct -n -X -P -j $running -o State" RUNNING
    ids=$failed,$done,$running
    echo "accounting jobs: failed=$failed done=$done running=$running"
    capture "$out" sacct-allocations-jobs "$ok" "$(allocations_line --jobs=$ids)"
    capture "$out" sacct-allocations-window "$ok" "$(allocations_line --starttime=now-1hours --endtime=now)"
    capture_as bob "$out" sacct-allocations-other-user "$ok" "$(allocations_line --jobs=$ids)"
    capture "$out" sacct-allocations-unknown "$ok" "$(allocations_line --jobs=999999)"
    capture "$out" sacct-allocations-dbd-down "$down" "$(allocations_line --jobs=999999)"
}

# Sections to run: all by default, or those named on the command line.
for section in "${@:-basic down states hidden reservations compute accounting}"; do
    for name in $section; do "$name"; done
done
echo "captured into $out and $idout"
