package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.scheduler.HistoryWindow;
import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobQuery;
import io.goldcrest.scheduler.JobState;
import io.goldcrest.scheduler.JobStatus;
import io.goldcrest.scheduler.JobStep;
import io.goldcrest.scheduler.JobTime;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * sacct against captured accounting: 81 ran {@code srun true} then exited 3, alice cancelled 82,
 * array 79 runs task 1 as job 80.
 */
class SacctCommandTest {
    private static final JobQuery OWN = new JobQuery(false, Optional.empty(), Optional.empty(), HistoryWindow.DAY);
    private static final String TAIL = " '--parsable' '--noheader' '--delimiter=\u001f' '--format=JobIDRaw,JobID,AllocNodes,"
            + "Cluster,ExitCode,Group,Account,JobName,NodeList,Partition,Priority,State,Reason,ElapsedRaw,Start,End,Suspended,"
            + "TimelimitRaw,User,UID,WorkDir'";
    private static final String ARRAY_NAME = "goldcrest-array|with-a-pipe-in-its-name-and-longer-than-sixty-characters";
    private static final long FAILED_AT = 1795346765L;

    private static final Job FAILED = new Job("81", Optional.empty(), Optional.empty(), "gc-exit3",
            status(JobState.FAILED, Optional.of("None"), 3, 0),
            List.of(
                    new JobStep("81.batch", "batch", status(JobState.FAILED, Optional.empty(), 3, 0),
                            stepTime(0, FAILED_AT, Optional.of(FAILED_AT))),
                    new JobStep("81.0", "true", status(JobState.COMPLETED, Optional.empty(), 0, 0),
                            stepTime(0, FAILED_AT, Optional.of(FAILED_AT)))),
            new JobTime(Optional.of(0L), Optional.of(FAILED_AT), Optional.of(FAILED_AT), Optional.of(0L), Optional.of(300L)),
            Optional.of("proj1"), 1, "lc", Optional.of("alice"), "localhost", "normal", Optional.empty(),
            Optional.of("alice"), "/home/alice", Optional.of(4294901700L));

    private static final Job CANCELLED = new Job("82", Optional.empty(), Optional.empty(), "gc-cancelled",
            status(JobState.CANCELLED, Optional.of("None"), 0, 0),
            List.of(new JobStep("82.batch", "batch", status(JobState.CANCELLED, Optional.empty(), 0, 15),
                    stepTime(1, 1795346765L, Optional.of(1795346766L)))),
            new JobTime(Optional.of(1L), Optional.of(1795346765L), Optional.of(1795346766L), Optional.of(0L),
                    Optional.of(300L)),
            Optional.of("proj1"), 1, "lc", Optional.of("alice"), "localhost", "normal", Optional.of("alice"),
            Optional.of("alice"), "/home/alice", Optional.of(4294901699L));

    private static final Job ARRAY_TASK = new Job("80", Optional.of("79"), Optional.of("1"), ARRAY_NAME,
            status(JobState.RUNNING, Optional.of("None"), 0, 0),
            List.of(new JobStep("80.batch", "batch", status(JobState.RUNNING, Optional.empty(), 0, 0),
                    stepTime(4, 1795346762L, Optional.empty()))),
            new JobTime(Optional.of(4L), Optional.of(1795346762L), Optional.empty(), Optional.of(0L), Optional.of(600L)),
            Optional.of("proj1"), 1, "lc", Optional.of("alice"), "localhost", "normal", Optional.empty(),
            Optional.of("alice"), "/home/alice", Optional.of(4294901701L));

    private static final Job ARRAY_PENDING = new Job("79", Optional.of("79"), Optional.of("2-4%1"), ARRAY_NAME,
            status(JobState.PENDING, Optional.of("JobArrayTaskLimit"), 0, 0), List.of(),
            new JobTime(Optional.of(0L), Optional.empty(), Optional.empty(), Optional.of(0L), Optional.of(600L)),
            Optional.of("proj1"), 0, "lc", Optional.of("alice"), "None assigned", "normal", Optional.empty(),
            Optional.of("alice"), "/home/alice", Optional.of(4294901701L));

    @Test
    void listLineIsTheCapturedOne() {
        assertThat(ShellQuoting.join(SacctCommand.of(OWN).argv()))
                .isEqualTo("'env' 'SLURM_TIME_FORMAT=%s' 'sacct' '--starttime=now-24hours'" + TAIL)
                .isEqualTo(CapturedCommand.slurm("sacct-alice").commandLine())
                .isEqualTo(CapturedCommand.slurm("sacct-dbd-down").commandLine());
    }

    @Test
    void jobLinesAreTheCapturedOnes() {
        assertThat(ShellQuoting.join(SacctCommand.ofJob("81").argv()))
                .isEqualTo("'env' 'SLURM_TIME_FORMAT=%s' 'sacct' '--allusers' '--jobs=81'" + TAIL)
                .isEqualTo(CapturedCommand.slurm("sacct-job-failed").commandLine());
        assertThat(ShellQuoting.join(SacctCommand.ofJob("82").argv()))
                .isEqualTo(CapturedCommand.slurm("sacct-job-cancelled").commandLine());
        assertThat(ShellQuoting.join(SacctCommand.ofJob("79").argv()))
                .isEqualTo(CapturedCommand.slurm("sacct-job-array").commandLine());
        assertThat(ShellQuoting.join(SacctCommand.ofJob("999999").argv()))
                .isEqualTo(CapturedCommand.slurm("sacct-job-unknown").commandLine());
    }

    @Test
    void everyoneAccountNameAndWindowGoIntoTheSelection() {
        JobQuery query = new JobQuery(true, Optional.of("proj2"), Optional.of("a b"), HistoryWindow.THREE_DAYS);

        assertThat(SacctCommand.of(query).argv()).containsExactly("env", "SLURM_TIME_FORMAT=%s", "sacct", "--allusers",
                "--account=proj2", "--name=a b", "--starttime=now-72hours", "--parsable", "--noheader",
                "--delimiter=\u001f", "--format=JobIDRaw,JobID,AllocNodes,Cluster,ExitCode,Group,Account,JobName,NodeList,"
                        + "Partition,Priority,State,Reason,ElapsedRaw,Start,End,Suspended,TimelimitRaw,User,UID,WorkDir");
        assertThat(SacctCommand.of(new JobQuery(false, Optional.empty(), Optional.empty(), HistoryWindow.HOUR)).argv())
                .contains("--starttime=now-1hours").doesNotContain("--allusers");
    }

    /** sacct reads --name and --account as lists: a value with a comma is matched by the scheduler alone. */
    @Test
    void aNameOrAccountWithACommaIsNotGivenToSacct() {
        JobQuery query = new JobQuery(false, Optional.of("p,q"), Optional.of("a,b"), HistoryWindow.DAY);

        assertThat(SacctCommand.of(query).argv()).noneMatch(argument -> argument.startsWith("--name")
                || argument.startsWith("--account"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "81.batch", "79_1", "1,2", "--jobs=1"})
    void jobIdThatIsNotLettersAndDigitsIsRefused(String jobId) {
        assertThatThrownBy(() -> SacctCommand.ofJob(jobId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid job id: '" + jobId + "'");
    }

    @Test
    void exitThreeIsFailedWithExitCodeThreeAndTheStepsUnderTheirJob() {
        assertThat(parse(SacctCommand.ofJob("81"), "sacct-job-failed")).containsExactly(FAILED);
    }

    @Test
    void cancellerUidIsNamedAfterTheJobOwnerWithThatUid() {
        List<Job> jobs = parse(SacctCommand.ofJob("82"), "sacct-job-cancelled");

        assertThat(jobs).containsExactly(CANCELLED);
        assertThat(jobs.get(0).status().stateText()).isEqualTo("CANCELLED");
    }

    @Test
    void arrayLookupGivesTheRunningTaskWithItsStepAndThePendingTasks() {
        assertThat(parse(SacctCommand.ofJob("79"), "sacct-job-array")).containsExactly(ARRAY_TASK, ARRAY_PENDING);
    }

    @Test
    void dayListHasEveryJobOnceWithItsStepsAndNoStepAsAJob() {
        List<Job> jobs = parse(SacctCommand.of(OWN), "sacct-alice");

        assertThat(jobs).hasSize(62);
        assertThat(jobs).extracting(Job::jobId).doesNotHaveDuplicates().noneMatch(id -> id.contains("."));
        assertThat(jobs).filteredOn(job -> job.jobId().equals("81")).containsExactly(FAILED);
        assertThat(jobs).filteredOn(job -> job.jobId().equals("82")).containsExactly(CANCELLED);
        assertThat(jobs).filteredOn(job -> job.jobId().equals("80")).containsExactly(ARRAY_TASK);
        int steps = jobs.stream().mapToInt(job -> job.steps().size()).sum();
        assertThat(jobs.size() + steps).isEqualTo(118);
    }

    /** sacct's window leaves out what never became eligible: the held job, the dependent one, the pending tasks. */
    @Test
    void dayListMissesJobsThatNeverBecameEligible() {
        assertThat(parse(SacctCommand.of(OWN), "sacct-alice")).extracting(Job::jobId)
                .contains("76", "80", "81", "82")
                .doesNotContain("77", "78", "79");
    }

    @Test
    void cancelledByRootKeepsTheUidWhenNoJobOfThatUidNamesIt() {
        Job job = parse(SacctCommand.of(OWN), "sacct-alice").stream().filter(j -> j.jobId().equals("61")).findFirst().orElseThrow();

        assertThat(job.status().state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.status().stateText()).isEqualTo("CANCELLED");
        assertThat(job.killRequestUser()).contains("0");
        assertThat(job.steps()).extracting(step -> step.status().interruptSignal()).containsExactly(Optional.of(15));
    }

    @Test
    void startThatNeverCameIsEmpty() {
        Job job = parse(SacctCommand.of(OWN), "sacct-alice").stream().filter(j -> j.jobId().equals("2")).findFirst().orElseThrow();

        assertThat(job.time()).isEqualTo(new JobTime(Optional.of(0L), Optional.empty(), Optional.of(1795341197L),
                Optional.of(0L), Optional.of(1800L)));
        assertThat(job.nodes()).isEqualTo("None assigned");
        assertThat(job.partition()).isEqualTo("xfer");
        assertThat(job.account()).contains("proj2");
    }

    @Test
    void unknownJobIdIsNoJob() {
        CapturedCommand captured = CapturedCommand.slurm("sacct-job-unknown");
        assertThat(captured.result().exitStatus()).isZero();

        assertThat(SacctCommand.ofJob("999999").parse(captured.result())).isEmpty();
    }

    @Test
    void databaseDownIsASchedulerErrorQuotingSacct() {
        assertThatThrownBy(() -> parse(SacctCommand.of(OWN), "sacct-dbd-down"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 std_err:"
                        + "sacct: error: slurm_persist_conn_open_without_init: failed to open persistent connection to "
                        + "host:localhost:6899: Connection refused\n"
                        + "sacct: error: Sending PersistInit msg: Connection refused\n"
                        + "sacct: error: Problem talking to the database: Connection refused");
    }

    @Test
    void lookupFailingOtherwiseIsASchedulerError() {
        CommandResult result = new CommandResult(1, "", "sacct: error: Problem talking to the database: Connection refused\n");

        assertThatThrownBy(() -> SacctCommand.ofJob("81").parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 "
                        + "std_err:sacct: error: Problem talking to the database: Connection refused");
    }

    @Test
    void stepOfAJobOutsideTheAnswerIsDropped() {
        String stdout = CapturedCommand.slurm("sacct-job-failed").result().stdout().lines()
                .filter(line -> line.startsWith("81.")).map(line -> line + "\n").reduce("", String::concat);

        assertThat(SacctCommand.ofJob("81").parse(new CommandResult(0, stdout, ""))).isEmpty();
    }

    @Test
    void unlimitedAndPartitionLimitAreNoLimit() {
        String unlimited = line("7", "UNLIMITED");
        String partition = line("8", "Partition_Limit");

        List<Job> jobs = SacctCommand.of(OWN).parse(new CommandResult(0, unlimited + "\n" + partition + "\n", ""));

        assertThat(jobs).extracting(job -> job.time().limit()).containsExactly(Optional.empty(), Optional.empty());
    }

    private static String line(String id, String limit) {
        return String.join("\u001f", id, id, "1", "lc", "0:0", "alice", "proj1", "j", "localhost", "normal", "1",
                "COMPLETED", "None", "5", "100", "105", "00:00:00", limit, "alice", "1001", "/home/alice", "");
    }

    private static List<Job> parse(SacctCommand command, String fixture) {
        return command.parse(CapturedCommand.slurm(fixture).result());
    }

    private static JobStatus status(JobState state, Optional<String> reason, int exitCode, int signal) {
        return new JobStatus(state, state.name(), reason, Optional.of(exitCode), Optional.of(signal));
    }

    private static JobTime stepTime(long elapsed, long start, Optional<Long> end) {
        return new JobTime(Optional.of(elapsed), Optional.of(start), end, Optional.of(0L), Optional.empty());
    }
}
