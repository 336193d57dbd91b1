package io.goldcrest.api.v1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.goldcrest.scheduler.AccountedJob;
import io.goldcrest.scheduler.Job;
import io.goldcrest.scheduler.JobTime;
import io.goldcrest.scheduler.Node;
import io.goldcrest.scheduler.NodeState;
import io.goldcrest.scheduler.Partition;
import io.goldcrest.scheduler.Reservation;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * FirecREST v1's compute records, with Slurm's words where v1 passed Slurm's text through: squeue's
 * and sacct's duration forms, {@code N/A} and {@code Unknown} for times not known. Times are ISO
 * local date-times in UTC (Slurm would print the cluster's local time; Goldcrest reads epoch seconds).
 *
 * <p>Unlike FirecREST v1, whose squeue format put the time used in {@code start_time} and the start
 * time in {@code time}, a queued job's {@code start_time} is its start time and {@code time} the time
 * it has run.
 */
final class V1ComputeDtos {
    private V1ComputeDtos() {}

    /** A job in the queue ({@code GET /compute/jobs}); the file fields are empty when not looked up. */
    record JobQueue(
            @JsonProperty("jobid") String jobId,
            String partition,
            String name,
            String user,
            String state,
            @JsonProperty("start_time") String startTime,
            String time,
            @JsonProperty("time_left") String timeLeft,
            String nodes,
            @JsonProperty("nodelist") String nodeList,
            @JsonProperty("job_file_out") String jobFileOut,
            @JsonProperty("job_file_err") String jobFileErr,
            @JsonProperty("job_file") String jobFile,
            @JsonProperty("job_data_out") String jobDataOut,
            @JsonProperty("job_data_err") String jobDataErr,
            @JsonProperty("job_info_extra") String jobInfoExtra) {}

    /** What v1 shows of a job's files: paths from the scheduler, the ends of the output files. */
    record Files(String output, String error, String script, String outputTail, String errorTail) {
        static final Files NONE = new Files("", "", "", "", "");
    }

    /** A job in accounting ({@code GET /compute/acct}). */
    record JobAcct(
            @JsonProperty("jobid") String jobId,
            String partition,
            String name,
            String user,
            String state,
            @JsonProperty("start_time") String startTime,
            String time,
            @JsonProperty("cpu_time") String cpuTime,
            @JsonProperty("elapsed_time") String elapsedTime,
            @JsonProperty("termination_time") String terminationTime,
            @JsonProperty("time_left") String timeLeft,
            String nodes,
            @JsonProperty("nodelist") String nodeList,
            @JsonProperty("exit_code") String exitCode) {}

    record NodeView(@JsonProperty("NodeName") String name, @JsonProperty("ActiveFeatures") List<String> features,
                    @JsonProperty("Partitions") List<String> partitions, @JsonProperty("State") List<String> state) {}

    record PartitionView(@JsonProperty("PartitionName") String name, @JsonProperty("State") String state,
                         @JsonProperty("TotalCPUs") String totalCpus, @JsonProperty("TotalNodes") String totalNodes,
                         @JsonProperty("Default") String isDefault) {}

    record ReservationView(@JsonProperty("ReservationName") String name, @JsonProperty("State") String state,
                           @JsonProperty("Nodes") String nodes, @JsonProperty("StartTime") String startTime,
                           @JsonProperty("EndTime") String endTime, @JsonProperty("Features") List<String> features) {}

    static final String INFO_EXTRA = "Job info returned successfully";

    /** squeue's {@code %i}: an array task as {@code 12_3}, a pending range as {@code 12_[4-9]}. */
    static String displayId(Job job) {
        if (job.arrayJobId().isEmpty() || job.arrayTaskId().isEmpty()) {
            return job.jobId();
        }
        String task = job.arrayTaskId().get();
        boolean range = task.contains("-") || task.contains(",") || task.contains("%");
        return job.arrayJobId().get() + "_" + (range ? "[" + task + "]" : task);
    }

    static JobQueue queued(Job job, Files files) {
        JobTime time = job.time();
        long elapsed = time.elapsed().orElse(0L);
        String timeLeft = time.limit()
                .map(limit -> squeueDuration(Math.max(0, limit - elapsed)))
                .orElse("UNLIMITED");
        String nodeList = !job.nodes().isEmpty() ? job.nodes()
                : job.status().stateReason().map(reason -> "(" + reason + ")").orElse("");
        return new JobQueue(displayId(job), job.partition(), job.name(), job.user().orElse(""), job.status().stateText(),
                time.start().map(V1ComputeDtos::time).orElse("N/A"), squeueDuration(elapsed), timeLeft,
                Integer.toString(job.allocationNodes()), nodeList, files.output(), files.error(), files.script(),
                files.outputTail(), files.errorTail(), INFO_EXTRA);
    }

    /** As FirecREST v1 filled it: {@code time} and {@code cpu_time} the CPU time, {@code time_left} the end. */
    static JobAcct accounted(AccountedJob job) {
        String cpuTime = job.cpuTime().map(V1ComputeDtos::sacctDuration).orElse("");
        String end = job.end().map(V1ComputeDtos::time).orElse("Unknown");
        String exitCode = job.exitCode().map(code -> code + ":" + job.signal().orElse(0)).orElse("");
        return new JobAcct(job.jobId(), job.partition(), job.name(), job.user(), job.state(),
                job.start().map(V1ComputeDtos::time).orElse("Unknown"), cpuTime, cpuTime,
                job.elapsed().map(V1ComputeDtos::sacctDuration).orElse(""), end, end, Integer.toString(job.nodes()),
                job.nodeList(), exitCode);
    }

    /** {@code ActiveFeatures} holds the node's features as sinfo reports them. */
    static NodeView node(Node node) {
        return new NodeView(node.name(), words(node.features(), ","), node.partitions(),
                node.state().stream().map(NodeState::name).toList());
    }

    static PartitionView partition(Partition partition) {
        return new PartitionView(partition.name(), partition.state(), partition.cpus().map(String::valueOf).orElse(""),
                partition.totalNodes().map(String::valueOf).orElse(""), partition.isDefault() ? "YES" : "NO");
    }

    static ReservationView reservation(Reservation reservation) {
        return new ReservationView(reservation.name(), reservation.state().toUpperCase(Locale.ROOT), reservation.nodeList(),
                time(reservation.startTime()), time(reservation.endTime()), words(reservation.features().orElse(""), "&"));
    }

    /** Slurm's unset {@code (null)} and empty text give no words. */
    private static List<String> words(String text, String separator) {
        String stripped = text.strip();
        if (stripped.isEmpty() || stripped.equals("(null)")) {
            return List.of();
        }
        return Arrays.stream(stripped.split(Pattern.quote(separator))).filter(word -> !word.isEmpty()).toList();
    }

    static String time(long epochSeconds) {
        return V1Tasks.time(Instant.ofEpochSecond(epochSeconds));
    }

    /** squeue's form: {@code M:SS}, {@code H:MM:SS}, {@code D-HH:MM:SS}. */
    static String squeueDuration(long seconds) {
        long days = seconds / 86_400;
        long hours = seconds / 3_600 % 24;
        long minutes = seconds / 60 % 60;
        long rest = seconds % 60;
        if (days > 0) {
            return String.format(Locale.ROOT, "%d-%02d:%02d:%02d", days, hours, minutes, rest);
        }
        if (hours > 0) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, rest);
        }
        return String.format(Locale.ROOT, "%d:%02d", minutes, rest);
    }

    /** sacct's form: {@code HH:MM:SS}, {@code D-HH:MM:SS}. */
    static String sacctDuration(long seconds) {
        long days = seconds / 86_400;
        String clock = String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3_600 % 24, seconds / 60 % 60, seconds % 60);
        return days > 0 ? days + "-" + clock : clock;
    }
}
