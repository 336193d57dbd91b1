package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.scheduler.HistoryWindow;
import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobMetadata;
import io.goldcrest.scheduler.JobQuery;
import io.goldcrest.scheduler.JobSpec;
import io.goldcrest.scheduler.JobState;
import io.goldcrest.scheduler.JobStatus;
import io.goldcrest.scheduler.JobStep;
import io.goldcrest.scheduler.JobTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The jobs side of the scheduler: squeue and sacct merged, and every command replayed from the captured cluster. */
class SlurmSchedulerJobsTest {
    private static final JobQuery OWN = new JobQuery(false, Optional.empty(), Optional.empty(), HistoryWindow.DAY);
    private static final JobStep STEP = new JobStep("5.batch", "batch",
            new JobStatus(JobState.RUNNING, "RUNNING", Optional.empty(), Optional.of(0), Optional.of(0)),
            new JobTime(Optional.of(5L), Optional.of(100L), Optional.empty(), Optional.of(0L), Optional.empty()));

    private final SlurmScheduler scheduler = new SlurmScheduler();

    // --- merge ---

    @Test
    void queueRecordWinsForTopLevelFieldsAndAccountingKeepsStepsExitCodeSuspendedAndCanceller() {
        Job accounting = new Job("5", Optional.empty(), Optional.empty(), "old name",
                new JobStatus(JobState.CANCELLED, "CANCELLED", Optional.of("None"), Optional.of(0), Optional.of(15)),
                List.of(STEP),
                new JobTime(Optional.of(5L), Optional.of(100L), Optional.empty(), Optional.of(30L), Optional.of(600L)),
                Optional.of("proj1"), 0, "lc", Optional.of("alice"), "None assigned", "normal", Optional.of("alice"),
                Optional.of("alice"), "/home/alice", Optional.of(1L));
        Job queued = new Job("5", Optional.of("4"), Optional.of("1"), "new name",
                new JobStatus(JobState.COMPLETING, "COMPLETING", Optional.of("NonZeroExitCode"), Optional.empty(),
                        Optional.empty()),
                List.of(),
                new JobTime(Optional.of(9L), Optional.of(101L), Optional.of(700L), Optional.empty(), Optional.of(1200L)),
                Optional.of("proj2"), 1, "lc2", Optional.of("alice2"), "localhost", "xfer", Optional.empty(),
                Optional.of("alice"), "/scratch", Optional.of(2L));

        List<Job> merged = SlurmScheduler.merge(List.of(accounting), List.of(queued));

        assertThat(merged).containsExactly(new Job("5", Optional.of("4"), Optional.of("1"), "new name",
                new JobStatus(JobState.COMPLETING, "COMPLETING", Optional.of("NonZeroExitCode"), Optional.of(0),
                        Optional.of(15)),
                List.of(STEP),
                new JobTime(Optional.of(9L), Optional.of(101L), Optional.of(700L), Optional.of(30L), Optional.of(1200L)),
                Optional.of("proj2"), 1, "lc2", Optional.of("alice2"), "localhost", "xfer", Optional.of("alice"),
                Optional.of("alice"), "/scratch", Optional.of(2L)));
    }

    @Test
    void accountingOrderFirstThenJobsOnlyTheQueueKnowsInQueueOrder() {
        List<Job> merged = SlurmScheduler.merge(List.of(job("3"), job("1"), job("2")), List.of(job("9"), job("1"), job("7")));

        assertThat(merged).extracting(Job::jobId).containsExactly("3", "1", "2", "9", "7");
    }

    @Test
    void jobsInOnlyOneListStayAsTheyAre() {
        Job accounted = job("1").withSteps(List.of(STEP));
        Job queued = job("2");

        assertThat(SlurmScheduler.merge(List.of(accounted), List.of())).containsExactly(accounted);
        assertThat(SlurmScheduler.merge(List.of(), List.of(queued))).containsExactly(queued);
        assertThat(SlurmScheduler.merge(List.of(accounted), List.of(queued))).containsExactly(accounted, queued);
        assertThat(SlurmScheduler.merge(List.of(), List.of())).isEmpty();
    }

    // --- replayed ---

    /** 77 (dependency), 78 (held) and 79 (pending tasks) are only in squeue; they come after accounting's 62. */
    @Test
    void listMergesAccountingAndQueue() {
        ReplayRunner runner = new ReplayRunner("alice", "sacct-alice", "squeue-alice");

        List<Job> jobs = scheduler.jobs(runner, OWN);

        assertThat(runner.commandLines()).containsExactlyInAnyOrder(CapturedCommand.slurm("sacct-alice").commandLine(),
                CapturedCommand.slurm("squeue-alice").commandLine());
        assertThat(jobs).hasSize(65);
        assertThat(jobs).extracting(Job::jobId).doesNotHaveDuplicates().endsWith("80", "81", "82", "77", "79", "78");
        Job running = jobs.stream().filter(job -> job.jobId().equals("76")).findFirst().orElseThrow();
        assertThat(running.time()).isEqualTo(new JobTime(Optional.of(7L), Optional.of(1795346759L), Optional.of(1795350359L),
                Optional.of(0L), Optional.of(3600L)));
        assertThat(running.steps()).extracting(JobStep::id).containsExactly("76.batch");
        assertThat(running.status()).isEqualTo(
                new JobStatus(JobState.RUNNING, "RUNNING", Optional.of("None"), Optional.of(0), Optional.of(0)));
        Job failed = jobs.stream().filter(job -> job.jobId().equals("81")).findFirst().orElseThrow();
        assertThat(failed.status().state()).isEqualTo(JobState.FAILED);
        assertThat(failed.status().exitCode()).contains(3);
        assertThat(failed.steps()).extracting(JobStep::id).containsExactly("81.batch", "81.0");
    }

    @Test
    void arrayLookupMergesBothTasksRecords() {
        ReplayRunner runner = new ReplayRunner("alice", "sacct-job-array", "squeue-job-array");

        List<Job> jobs = scheduler.job(runner, "79");

        assertThat(jobs).extracting(Job::jobId, Job::arrayJobId, Job::arrayTaskId).containsExactly(
                tuple("80", Optional.of("79"), Optional.of("1")),
                tuple("79", Optional.of("79"), Optional.of("2-4%1")));
        Job task = jobs.get(0);
        assertThat(task.steps()).extracting(JobStep::id).containsExactly("80.batch");
        assertThat(task.time().end()).contains(1795347362L);
        Job pending = jobs.get(1);
        assertThat(pending.nodes()).isEmpty();
        assertThat(pending.allocationNodes()).isEqualTo(1);
        assertThat(pending.status()).isEqualTo(new JobStatus(JobState.PENDING, "PENDING", Optional.of("JobArrayTaskLimit"),
                Optional.of(0), Optional.of(0)));
    }

    @Test
    void cancelledJobThatLeftTheQueueIsAccountingsRecord() {
        List<Job> jobs = scheduler.job(new ReplayRunner("alice", "sacct-job-cancelled", "squeue-job-cancelled"), "82");

        assertThat(jobs).singleElement().satisfies(job -> {
            assertThat(job.status().state()).isEqualTo(JobState.CANCELLED);
            assertThat(job.killRequestUser()).contains("alice");
        });
    }

    @Test
    void unknownJobIsNotFound() {
        ReplayRunner runner = new ReplayRunner("alice", "sacct-job-unknown", "squeue-job-unknown");

        assertThatThrownBy(() -> scheduler.job(runner, "999999"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_NOT_FOUND))
                .hasMessage("Job not found.");
    }

    @Test
    void metadataOfAnArrayGivesEachRecordWithTheArraysScript() {
        List<JobMetadata> metadata = scheduler.metadata(new ReplayRunner("alice", "scontrol-job-array", "batch-script-array"),
                "79");

        Optional<String> script = Optional.of("#!/bin/sh\n# This script was created by sbatch --wrap.\n\nsleep 600\n");
        assertThat(metadata).containsExactly(
                new JobMetadata("79", script, Optional.of("/dev/null"), Optional.of("/home/alice/goldcrest-fixture-79.out"),
                        Optional.of("/home/alice/goldcrest-fixture-79.out")),
                new JobMetadata("80", script, Optional.of("/dev/null"), Optional.of("/home/alice/goldcrest-fixture-80.out"),
                        Optional.of("/home/alice/goldcrest-fixture-80.out")));
    }

    @Test
    void metadataOfAnUnknownJobIsNotFound() {
        ReplayRunner runner = new ReplayRunner("alice", "scontrol-job-unknown", "batch-script-unknown");

        assertThatThrownBy(() -> scheduler.metadata(runner, "999999"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_NOT_FOUND))
                .hasMessage("Job not found.");
    }

    @Test
    void metadataWithTheControllerDownIsASchedulerError() {
        ReplayRunner runner = new ReplayRunner("alice", "scontrol-job-controller-down", "batch-script-controller-down");

        assertThatThrownBy(() -> scheduler.metadata(runner, "999999"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR));
    }

    @Test
    void cancel() {
        assertThatCode(() -> scheduler.cancel(new ReplayRunner("alice", "scancel-own"), "82")).doesNotThrowAnyException();
        assertThatThrownBy(() -> scheduler.cancel(new ReplayRunner("bob", "scancel-other-user"), "76"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR));
    }

    @Test
    void submit() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("GC_PLACES", "{0,1}");
        environment.put("GC_NOTE", "it's $HOME; a,b");
        JobSpec spec = new JobSpec("/home/alice", Optional.of("#!/bin/bash\n# goldcrest fixture: runs until cancelled\nsleep 600\n"),
                Optional.empty(), Optional.of("gc-running"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("goldcrest-fixture-%j.out"), Optional.empty(), environment);

        assertThat(scheduler.submit(new ReplayRunner("alice", "sbatch-submitted"), spec)).isEqualTo("76");
    }

    private static Job job(String id) {
        return new Job(id, Optional.empty(), Optional.empty(), "j" + id,
                new JobStatus(JobState.PENDING, "PENDING", Optional.empty(), Optional.empty(), Optional.empty()), List.of(),
                new JobTime(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                Optional.empty(), 0, "lc", Optional.empty(), "", "normal", Optional.empty(), Optional.of("alice"), "/",
                Optional.empty());
    }
}
