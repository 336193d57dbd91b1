package io.goldcrest.api.v2;

import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobMetadata;
import io.goldcrest.scheduler.JobStatus;
import io.goldcrest.scheduler.JobStep;
import io.goldcrest.scheduler.JobTime;
import java.util.List;

/**
 * FirecREST v2's JSON shapes of the compute routes. {@code arrayJobId} and {@code arrayTaskId} are
 * Goldcrest's additions: {@code jobId} is each array task's own id, so these say which array it
 * belongs to.
 */
final class ComputeDtos {
    private ComputeDtos() {}

    record Status(String state, String stateReason, Integer exitCode, Integer interruptSignal) {}

    record Time(Long elapsed, Long start, Long end, Long suspended, Long limit) {}

    record Task(String id, String name, Status status, Time time) {}

    record JobDto(String jobId, String name, Status status, List<Task> tasks, Time time, String account,
                  int allocationNodes, String cluster, String group, String nodes, String partition,
                  String killRequestUser, String user, String workingDirectory, Long priority, String arrayJobId,
                  String arrayTaskId) {}

    record Jobs(List<JobDto> jobs) {}

    record Submitted(String jobId) {}

    record Metadata(String jobId, String script, String standardInput, String standardOutput, String standardError) {}

    record MetadataList(List<Metadata> jobs) {}

    static Jobs jobs(List<Job> jobs) {
        return new Jobs(jobs.stream().map(ComputeDtos::job).toList());
    }

    static MetadataList metadata(List<JobMetadata> jobs) {
        return new MetadataList(jobs.stream().map(job -> new Metadata(job.jobId(), job.script().orElse(null),
                job.standardInput().orElse(null), job.standardOutput().orElse(null), job.standardError().orElse(null)))
                .toList());
    }

    private static JobDto job(Job job) {
        return new JobDto(job.jobId(), job.name(), status(job.status()), job.steps().stream().map(ComputeDtos::task).toList(),
                time(job.time()), job.account().orElse(null), job.allocationNodes(), job.cluster(), job.group().orElse(null),
                job.nodes(), job.partition(), job.killRequestUser().orElse(null), job.user().orElse(null),
                job.workingDirectory(), job.priority().orElse(null), job.arrayJobId().orElse(null),
                job.arrayTaskId().orElse(null));
    }

    private static Task task(JobStep step) {
        return new Task(step.id(), step.name(), status(step.status()), time(step.time()));
    }

    private static Status status(JobStatus status) {
        return new Status(status.stateText(), status.stateReason().orElse(null), status.exitCode().orElse(null),
                status.interruptSignal().orElse(null));
    }

    private static Time time(JobTime time) {
        return new Time(time.elapsed().orElse(null), time.start().orElse(null), time.end().orElse(null),
                time.suspended().orElse(null), time.limit().orElse(null));
    }
}
