package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.Partition;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;

/** {@code scontrol -a show -o partitions}: one line per partition, hidden ones included by {@code -a}. */
public final class ScontrolPartitionsCommand implements RemoteCommand<List<Partition>> {
    private static final String WHAT = "scontrol partitions line";

    private final boolean showHidden;

    /** @param showHidden keep partitions marked {@code Hidden=YES} */
    public ScontrolPartitionsCommand(boolean showHidden) {
        this.showHidden = showHidden;
    }

    @Override
    public List<String> argv() {
        return List.of("env", "SLURM_TIME_FORMAT=%s", "scontrol", "-a", "show", "-o", "partitions");
    }

    /**
     * @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} on a non-zero exit or a
     *     line lacking {@code PartitionName}, {@code State}, {@code TotalCPUs}, {@code TotalNodes} or
     *     {@code Hidden}
     */
    @Override
    public List<Partition> parse(CommandResult result) {
        SlurmOutput.requireSuccess(result);
        List<Partition> partitions = new ArrayList<>();
        for (String line : SlurmOutput.lines(result.stdout())) {
            ScontrolRecord partition = ScontrolRecord.parse(line)
                    .orElseThrow(() -> SlurmOutput.unreadable(WHAT, line, "not Key=Value pairs"));
            String name = partition.require("PartitionName", WHAT);
            String state = partition.require("State", WHAT);
            String cpus = partition.require("TotalCPUs", WHAT);
            String nodes = partition.require("TotalNodes", WHAT);
            boolean hidden = partition.require("Hidden", WHAT).equalsIgnoreCase("YES");
            if (hidden && !showHidden) {
                continue;
            }
            boolean isDefault = partition.value("Default").filter(value -> value.equalsIgnoreCase("YES")).isPresent();
            partitions.add(new Partition(name, SlurmOutput.optionalInt(cpus), SlurmOutput.optionalInt(nodes), state, isDefault));
        }
        return List.copyOf(partitions);
    }
}
