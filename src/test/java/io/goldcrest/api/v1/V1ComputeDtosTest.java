package io.goldcrest.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.AccountedJob;
import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobState;
import io.goldcrest.scheduler.JobStatus;
import io.goldcrest.scheduler.JobTime;
import io.goldcrest.scheduler.Node;
import io.goldcrest.scheduler.NodeState;
import io.goldcrest.scheduler.Partition;
import io.goldcrest.scheduler.Reservation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class V1ComputeDtosTest {
    private static final long START = 1795353530L;

    @ParameterizedTest
    @CsvSource({"0, 0:00, 00:00:00", "5, 0:05, 00:00:05", "59, 0:59, 00:00:59", "60, 1:00, 00:01:00",
            "3599, 59:59, 00:59:59", "3600, 1:00:00, 01:00:00", "86399, 23:59:59, 23:59:59",
            "86400, 1-00:00:00, 1-00:00:00", "90061, 1-01:01:01, 1-01:01:01"})
    void durationsAreInSqueuesAndSacctsForms(long seconds, String squeue, String sacct) {
        assertThat(V1ComputeDtos.squeueDuration(seconds)).isEqualTo(squeue);
        assertThat(V1ComputeDtos.sacctDuration(seconds)).isEqualTo(sacct);
    }

    @Test
    void aRunningJobHasItsStartInStartTimeAndItsTimeUsedInTime() {
        Job job = job("42", Optional.empty(), Optional.empty(), JobState.RUNNING, Optional.of("None"),
                new JobTime(Optional.of(65L), Optional.of(START), Optional.empty(), Optional.empty(), Optional.of(3600L)), "localhost");

        V1ComputeDtos.JobQueue view = V1ComputeDtos.queued(job, new V1ComputeDtos.Files("/o", "/e", "/s.sh", "out", "err"));

        assertThat(view).isEqualTo(new V1ComputeDtos.JobQueue("42", "normal", "name", "alice", "RUNNING",
                "2026-11-22T13:18:50", "1:05", "58:55", "1", "localhost", "/o", "/e", "/s.sh", "out", "err",
                "Job info returned successfully"));
    }

    @Test
    void aPendingJobShowsItsReasonAsNodeListAndNoStart() {
        Job job = job("43", Optional.empty(), Optional.empty(), JobState.PENDING, Optional.of("Priority"),
                new JobTime(Optional.of(0L), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), "");

        V1ComputeDtos.JobQueue view = V1ComputeDtos.queued(job, V1ComputeDtos.Files.NONE);

        assertThat(view.startTime()).isEqualTo("N/A");
        assertThat(view.time()).isEqualTo("0:00");
        assertThat(view.timeLeft()).isEqualTo("UNLIMITED");
        assertThat(view.nodeList()).isEqualTo("(Priority)");
        assertThat(view.jobFile()).isEmpty();
    }

    @Test
    void arrayTasksAreShownInSlurmsArrayForm() {
        JobTime time = new JobTime(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(V1ComputeDtos.displayId(job("80", Optional.of("79"), Optional.of("1"), JobState.RUNNING, Optional.empty(), time, "")))
                .isEqualTo("79_1");
        assertThat(V1ComputeDtos.displayId(job("79", Optional.of("79"), Optional.of("2-4%1"), JobState.PENDING, Optional.empty(), time, "")))
                .isEqualTo("79_[2-4%1]");
    }

    @Test
    void selectionsMatchAsSqueueJobsDoes() {
        JobTime time = new JobTime(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        Job plain = job("12", Optional.empty(), Optional.empty(), JobState.RUNNING, Optional.empty(), time, "");
        Job task = job("80", Optional.of("79"), Optional.of("1"), JobState.RUNNING, Optional.empty(), time, "");
        Job pending = job("79", Optional.of("79"), Optional.of("2-4%1"), JobState.PENDING, Optional.empty(), time, "");

        assertThat(V1ComputeRoutes.selects("12", plain)).isTrue();
        assertThat(V1ComputeRoutes.selects("12+0", plain)).isTrue();
        assertThat(V1ComputeRoutes.selects("13", plain)).isFalse();
        assertThat(V1ComputeRoutes.selects("79", task)).isTrue();
        assertThat(V1ComputeRoutes.selects("80", task)).isTrue();
        assertThat(V1ComputeRoutes.selects("79_1", task)).isTrue();
        assertThat(V1ComputeRoutes.selects("79_2", task)).isFalse();
        assertThat(V1ComputeRoutes.selects("79_3", pending)).isTrue();
        assertThat(V1ComputeRoutes.selects("79_5", pending)).isFalse();
        assertThat(V1ComputeRoutes.selects("79_[4-9]", pending)).isTrue();
        assertThat(V1ComputeRoutes.selects("79_[5-9]", pending)).isFalse();
        assertThat(V1ComputeRoutes.selects("79_[1-1]", task)).isTrue();
    }

    @Test
    void onlyStatesSqueueListsAreQueued() {
        assertThat(V1ComputeRoutes.isQueued(JobState.PENDING)).isTrue();
        assertThat(V1ComputeRoutes.isQueued(JobState.COMPLETING)).isTrue();
        assertThat(V1ComputeRoutes.isQueued(JobState.COMPLETED)).isFalse();
        assertThat(V1ComputeRoutes.isQueued(JobState.CANCELLED)).isFalse();
        assertThat(V1ComputeRoutes.isQueued(JobState.TIMEOUT)).isFalse();
    }

    @Test
    void accountingKeepsFirecrestsFields() {
        AccountedJob failed = new AccountedJob("500", "normal", "gc-exit3", "alice", "FAILED", Optional.of(START),
                Optional.of(START + 2), Optional.of(2L), Optional.of(4L), 1, "localhost", Optional.of(3), Optional.of(0));
        AccountedJob running = new AccountedJob("502", "normal", "r", "alice", "RUNNING", Optional.of(START),
                Optional.empty(), Optional.of(3L), Optional.of(3L), 1, "localhost", Optional.empty(), Optional.empty());

        assertThat(V1ComputeDtos.accounted(failed)).isEqualTo(new V1ComputeDtos.JobAcct("500", "normal", "gc-exit3", "alice",
                "FAILED", "2026-11-22T13:18:50", "00:00:04", "00:00:04", "00:00:02", "2026-11-22T13:18:52",
                "2026-11-22T13:18:52", "1", "localhost", "3:0"));
        V1ComputeDtos.JobAcct view = V1ComputeDtos.accounted(running);
        assertThat(view.terminationTime()).isEqualTo("Unknown");
        assertThat(view.exitCode()).isEmpty();
    }

    @Test
    void nodesPartitionsAndReservationsInScontrolsShapes() {
        Node node = new Node("nid1", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "gpu,big", "", "", List.of(NodeState.IDLE, NodeState.DRAIN), List.of("normal", "xfer"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(V1ComputeDtos.node(node)).isEqualTo(new V1ComputeDtos.NodeView("nid1", List.of("gpu", "big"),
                List.of("normal", "xfer"), List.of("IDLE", "DRAIN")));
        Node plain = new Node("nid2", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "(null)", "", "", List.of(NodeState.IDLE), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
        assertThat(V1ComputeDtos.node(plain).features()).isEmpty();

        assertThat(V1ComputeDtos.partition(new Partition("normal", Optional.of(8), Optional.of(1), "UP", true)))
                .isEqualTo(new V1ComputeDtos.PartitionView("normal", "UP", "8", "1", "YES"));

        assertThat(V1ComputeDtos.reservation(new Reservation("maint", "nid[1-4]", START, START + 60, Optional.of("gpu&big"), "active")))
                .isEqualTo(new V1ComputeDtos.ReservationView("maint", "ACTIVE", "nid[1-4]", "2026-11-22T13:18:50",
                        "2026-11-22T13:19:50", List.of("gpu", "big")));
    }

    @Test
    void uploadedNamesBecomePlainFileNames() {
        assertThat(V1ComputeRoutes.scriptName("script.batch")).isEqualTo("script.batch");
        assertThat(V1ComputeRoutes.scriptName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(V1ComputeRoutes.scriptName("C:\\Users\\me\\my job.sh")).isEqualTo("my_job.sh");
        assertThat(V1ComputeRoutes.scriptName("..")).isEqualTo("script.batch");
        assertThat(V1ComputeRoutes.scriptName(".hidden;rm -rf")).isEqualTo("hidden_rm_-rf");
    }

    @Test
    void scancelsRefusalsInV1sWords() {
        GoldcrestException denied = new GoldcrestException(ErrorCode.SCHEDULER_ERROR, "Unexpected Slurm command response. "
                + "exit_status:210 std_err:scancel: Terminating job 76\nscancel: error: Kill job error on job id 76: Access/permission denied");
        assertThat(V1ComputeRoutes.cancelFailure(denied)).hasMessage("User does not have permission to cancel job");
        GoldcrestException finished = new GoldcrestException(ErrorCode.SCHEDULER_ERROR, "Unexpected Slurm command response. "
                + "exit_status:0 std_err:scancel: Terminating job 81\nscancel: error: Kill job error on job id 81: Job/step already completing or completed");
        assertThat(V1ComputeRoutes.cancelFailure(finished)).hasMessage("Kill job error on job id 81: Job/step already completing or completed");
    }

    private static Job job(String id, Optional<String> arrayJobId, Optional<String> arrayTaskId, JobState state,
                           Optional<String> reason, JobTime time, String nodes) {
        return new Job(id, arrayJobId, arrayTaskId, "name", new JobStatus(state, state.name(), reason, Optional.empty(), Optional.empty()),
                List.of(), time, Optional.of("proj1"), 1, "lc", Optional.of("alice"), nodes, "normal", Optional.empty(),
                Optional.of("alice"), "/home/alice", Optional.empty());
    }
}
