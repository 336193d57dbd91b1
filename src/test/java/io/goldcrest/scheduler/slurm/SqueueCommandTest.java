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
import io.goldcrest.scheduler.JobTime;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * squeue against the captured queue: 77 waits on 76 (afterok), 78 is held, array 79 runs task 1 as
 * job 80 with tasks 2-4 pending behind a throttle of 1, 76 runs.
 */
class SqueueCommandTest {
    private static final JobQuery OWN = new JobQuery(false, Optional.empty(), Optional.empty(), HistoryWindow.DAY);
    private static final JobQuery EVERYONE = new JobQuery(true, Optional.empty(), Optional.empty(), HistoryWindow.DAY);
    private static final String FORMAT = "--Format=JobID:\u001f,JobArrayID:\u001f,NumNodes:\u001f,Cluster:\u001f,"
            + "GroupName:\u001f,Account:\u001f,Name:\u001f,NodeList:\u001f,Partition:\u001f,PriorityLong:\u001f,State:\u001f,"
            + "Reason:\u001f,TimeUsed:\u001f,StartTime:\u001f,EndTime:\u001f,TimeLimit:\u001f,UserName:\u001f,WorkDir:\u001f";
    private static final String ARRAY_NAME = "goldcrest-array|with-a-pipe-in-its-name-and-longer-than-sixty-characters";

    private static final Job DEPENDENT = pending("77", Optional.empty(), Optional.empty(), "gc-dependent", "Dependency", 300,
            4294901702L);
    private static final Job ARRAY_PENDING = pending("79", Optional.of("79"), Optional.of("2-4%1"), ARRAY_NAME,
            "JobArrayTaskLimit", 600, 4294901701L);
    private static final Job HELD = pending("78", Optional.empty(), Optional.empty(), "gc-held", "JobHeldUser", 300, 0L);
    private static final Job RUNNING = running("76", Optional.empty(), Optional.empty(), "gc-running", 7, 1795346759L,
            1795350359L, 3600, 4294901703L);
    private static final Job ARRAY_TASK = running("80", Optional.of("79"), Optional.of("1"), ARRAY_NAME, 4, 1795346762L,
            1795347362L, 600, 4294901701L);

    @Test
    void ownJobsLineIsTheCapturedOne() {
        assertThat(ShellQuoting.join(SqueueCommand.of("alice", OWN).argv()))
                .isEqualTo("'env' 'SLURM_TIME_FORMAT=%s' 'squeue' '--all' '--noheader' '--user=alice' '" + FORMAT + "'")
                .isEqualTo(CapturedCommand.slurm("squeue-alice").commandLine());
    }

    @Test
    void everyonesJobsLineIsTheCapturedOne() {
        assertThat(ShellQuoting.join(SqueueCommand.of("alice", EVERYONE).argv()))
                .isEqualTo("'env' 'SLURM_TIME_FORMAT=%s' 'squeue' '--all' '--noheader' '" + FORMAT + "'")
                .isEqualTo(CapturedCommand.slurm("squeue-allusers").commandLine());
    }

    @Test
    void jobLinesAreTheCapturedOnes() {
        assertThat(ShellQuoting.join(SqueueCommand.ofJob("79").argv()))
                .isEqualTo("'env' 'SLURM_TIME_FORMAT=%s' 'squeue' '--all' '--noheader' '--jobs=79' '" + FORMAT + "'")
                .isEqualTo(CapturedCommand.slurm("squeue-job-array").commandLine());
        assertThat(ShellQuoting.join(SqueueCommand.ofJob("999999").argv()))
                .isEqualTo(CapturedCommand.slurm("squeue-job-unknown").commandLine());
        assertThat(ShellQuoting.join(SqueueCommand.ofJob("82").argv()))
                .isEqualTo(CapturedCommand.slurm("squeue-job-cancelled").commandLine());
    }

    @Test
    void accountAndNameNarrowTheList() {
        JobQuery query = new JobQuery(false, Optional.of("proj1"), Optional.of("a b"), HistoryWindow.WEEK);

        assertThat(SqueueCommand.of("alice", query).argv()).containsExactly("env", "SLURM_TIME_FORMAT=%s", "squeue",
                "--all", "--noheader", "--user=alice", "--account=proj1", "--name=a b", FORMAT);
    }

    /** squeue reads --name and --account as lists: a value with a comma is matched by the scheduler alone. */
    @Test
    void aNameOrAccountWithACommaIsNotGivenToSqueue() {
        JobQuery query = new JobQuery(false, Optional.of("p,q"), Optional.of("a,b"), HistoryWindow.DAY);

        assertThat(SqueueCommand.of("alice", query).argv()).containsExactly("env", "SLURM_TIME_FORMAT=%s", "squeue",
                "--all", "--noheader", "--user=alice", FORMAT);
    }

    @Test
    void userThatIsNotAUserNameIsRefused() {
        assertThatThrownBy(() -> SqueueCommand.of("-alice", OWN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid user name: '-alice'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12,13", "-1", "12_3", "12 13", "$(id)"})
    void jobIdThatIsNotLettersAndDigitsIsRefused(String jobId) {
        assertThatThrownBy(() -> SqueueCommand.ofJob(jobId))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid job id: '" + jobId + "'");
    }

    @Test
    void ownQueueHoldsWaitingHeldArrayAndRunningJobsInSqueueOrder() {
        assertThat(parse(SqueueCommand.of("alice", OWN), "squeue-alice"))
                .containsExactly(DEPENDENT, ARRAY_PENDING, HELD, RUNNING, ARRAY_TASK);
    }

    @Test
    void everyonesQueueAtThatMomentHeldOnlyAlicesJobs() {
        assertThat(parse(SqueueCommand.of("alice", EVERYONE), "squeue-allusers"))
                .containsExactly(DEPENDENT, ARRAY_PENDING, HELD, RUNNING, ARRAY_TASK);
    }

    @Test
    void heldAndDependentJobsArePendingWithTheirReason() {
        List<Job> jobs = parse(SqueueCommand.of("alice", OWN), "squeue-alice");

        assertThat(jobs).filteredOn(job -> job.jobId().equals("78")).singleElement().satisfies(job -> {
            assertThat(job.status().state()).isEqualTo(JobState.PENDING);
            assertThat(job.status().stateReason()).contains("JobHeldUser");
            assertThat(job.priority()).contains(0L);
        });
        assertThat(jobs).filteredOn(job -> job.jobId().equals("77")).singleElement()
                .extracting(job -> job.status().stateReason()).isEqualTo(Optional.of("Dependency"));
    }

    @Test
    void arrayLookupGivesThePendingTasksAndTheRunningTask() {
        List<Job> jobs = parse(SqueueCommand.ofJob("79"), "squeue-job-array");

        assertThat(jobs).containsExactly(ARRAY_PENDING, ARRAY_TASK);
        assertThat(jobs).extracting(Job::name).containsOnly(ARRAY_NAME);
    }

    @Test
    void unknownJobIdIsNoJob() {
        CapturedCommand captured = CapturedCommand.slurm("squeue-job-unknown");
        assertThat(captured.result().exitStatus()).isEqualTo(1);

        assertThat(SqueueCommand.ofJob("999999").parse(captured.result())).isEmpty();
    }

    @Test
    void endedJobIsNoJob() {
        assertThat(parse(SqueueCommand.ofJob("82"), "squeue-job-cancelled")).isEmpty();
    }

    @Test
    void controllerDownIsASchedulerErrorQuotingSqueue() {
        assertThatThrownBy(() -> parse(SqueueCommand.of("alice", OWN), "squeue-controller-down"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 "
                        + "std_err:slurm_load_jobs error: Unable to contact slurm controller (connect failure)");
    }

    @Test
    void lookupFailingOtherwiseIsASchedulerError() {
        CommandResult result = new CommandResult(1, "", "slurm_load_jobs error: Socket timed out on send/recv operation\n");

        assertThatThrownBy(() -> SqueueCommand.ofJob("76").parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 "
                        + "std_err:slurm_load_jobs error: Socket timed out on send/recv operation");
    }

    @Test
    void lineWithAFieldTooFewOrTooManyIsSkipped() {
        String good = CapturedCommand.slurm("squeue-job-array").result().stdout().lines().toList().get(1);
        String cut = good.substring(0, good.lastIndexOf('\u001f', good.length() - 2) + 1);
        String extra = good + "x\u001f";

        List<Job> jobs = SqueueCommand.ofJob("79").parse(new CommandResult(0, cut + "\n" + good + "\n" + extra + "\n", ""));

        assertThat(jobs).containsExactly(ARRAY_TASK);
    }

    @Test
    void unlimitedTimeLimitIsNoLimit() {
        String line = String.join("\u001f", "5", "5", "1", "lc", "alice", "proj1", "j", "", "normal", "1", "PENDING",
                "Priority", "0:00", "N/A", "N/A", "UNLIMITED", "alice", "/home/alice", "");

        Job job = SqueueCommand.ofJob("5").parse(new CommandResult(0, line + "\n", "")).get(0);

        assertThat(job.time()).isEqualTo(new JobTime(Optional.of(0L), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()));
    }

    private static List<Job> parse(SqueueCommand command, String fixture) {
        return command.parse(CapturedCommand.slurm(fixture).result());
    }

    private static Job pending(String id, Optional<String> arrayJobId, Optional<String> arrayTaskId, String name,
                               String reason, long limit, long priority) {
        return new Job(id, arrayJobId, arrayTaskId, name,
                new JobStatus(JobState.PENDING, "PENDING", Optional.of(reason), Optional.empty(), Optional.empty()),
                List.of(), new JobTime(Optional.of(0L), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(limit)),
                Optional.of("proj1"), 1, "lc", Optional.of("alice"), "", "normal", Optional.empty(), Optional.of("alice"),
                "/home/alice", Optional.of(priority));
    }

    private static Job running(String id, Optional<String> arrayJobId, Optional<String> arrayTaskId, String name,
                               long elapsed, long start, long end, long limit, long priority) {
        return new Job(id, arrayJobId, arrayTaskId, name,
                new JobStatus(JobState.RUNNING, "RUNNING", Optional.of("None"), Optional.empty(), Optional.empty()),
                List.of(), new JobTime(Optional.of(elapsed), Optional.of(start), Optional.of(end), Optional.empty(),
                        Optional.of(limit)),
                Optional.of("proj1"), 1, "lc", Optional.of("alice"), "localhost", "normal", Optional.empty(),
                Optional.of("alice"), "/home/alice", Optional.of(priority));
    }
}
