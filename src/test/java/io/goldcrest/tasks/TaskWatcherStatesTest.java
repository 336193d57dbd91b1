package io.goldcrest.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobState;
import io.goldcrest.scheduler.JobStatus;
import io.goldcrest.scheduler.JobTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How scheduler job states move a task. */
class TaskWatcherStatesTest {
    private static Job job(JobState state, Integer exitCode) {
        return new Job("7", Optional.empty(), Optional.empty(), "MoveFiles",
                new JobStatus(state, state.name(), Optional.empty(), Optional.ofNullable(exitCode), Optional.of(0)),
                List.of(), new JobTime(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                Optional.empty(), 1, "lc", Optional.empty(), "", "xfer", Optional.empty(), Optional.of("alice"), "/home/alice",
                Optional.empty());
    }

    @Test
    void queuedRunningAndTheEnds() {
        assertThat(TaskWatcher.stateOf(job(JobState.PENDING, null))).contains(TaskState.QUEUED);
        assertThat(TaskWatcher.stateOf(job(JobState.REQUEUED, null))).contains(TaskState.QUEUED);
        assertThat(TaskWatcher.stateOf(job(JobState.RUNNING, null))).contains(TaskState.RUNNING);
        assertThat(TaskWatcher.stateOf(job(JobState.COMPLETING, 0))).contains(TaskState.RUNNING);
        assertThat(TaskWatcher.stateOf(job(JobState.COMPLETED, 0))).contains(TaskState.SUCCEEDED);
        assertThat(TaskWatcher.stateOf(job(JobState.FAILED, 1))).contains(TaskState.FAILED);
        assertThat(TaskWatcher.stateOf(job(JobState.TIMEOUT, 0))).contains(TaskState.FAILED);
        assertThat(TaskWatcher.stateOf(job(JobState.OUT_OF_MEMORY, 0))).contains(TaskState.FAILED);
        assertThat(TaskWatcher.stateOf(job(JobState.CANCELLED, 0))).contains(TaskState.CANCELLED);
        assertThat(TaskWatcher.stateOf(job(JobState.UNKNOWN, null))).isEmpty();
    }
}
