package io.goldcrest.scheduler.slurm;

import io.goldcrest.scheduler.Node;
import io.goldcrest.scheduler.NodeState;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sinfo -a -N}: one line per node and partition, merged here into one {@link Node} per node
 * name, in the order sinfo lists them.
 */
public final class SinfoNodesCommand implements RemoteCommand<List<Node>> {
    /**
     * Fields, in order: sockets:cores:threads, cpus, cpu load, free memory (MB), features, name,
     * address, hostname, state, partition, weight, slurmd version (unused), configured memory (MB),
     * cpus allocated/idle/other/total.
     */
    static final String FORMAT = "%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C";

    private static final int FIELD_COUNT = 14;
    private static final String WHAT = "sinfo line";

    @Override
    public List<String> argv() {
        return List.of("sinfo", "-a", "-N", "--noheader", "--format=" + FORMAT);
    }

    /**
     * @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} on a non-zero exit or a
     *     line without the 14 fields or a node name
     */
    @Override
    public List<Node> parse(CommandResult result) {
        SlurmOutput.requireSuccess(result);
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (String line : SlurmOutput.lines(result.stdout())) {
            Node node = parseLine(line);
            nodes.merge(node.name(), node, SinfoNodesCommand::withPartitionsOf);
        }
        return List.copyOf(nodes.values());
    }

    private static Node parseLine(String line) {
        String[] fields = line.split("\\|", -1);
        if (fields.length != FIELD_COUNT) {
            throw SlurmOutput.unreadable(WHAT, line, "expected " + FIELD_COUNT + " fields, got " + fields.length);
        }
        String name = fields[5].strip();
        if (name.isEmpty()) {
            throw SlurmOutput.unreadable(WHAT, line, "no node name");
        }
        // %z is sockets:cores:threads; unlike FirecREST, each part goes to its own field.
        String[] topology = fields[0].strip().split(":", -1);
        boolean hasTopology = topology.length == 3;
        // %C is allocated/idle/other/total.
        String[] cpuCounts = fields[13].strip().split("/", -1);
        boolean hasCpuCounts = cpuCounts.length == 4;
        return new Node(
                name,
                hasTopology ? SlurmOutput.optionalInt(topology[0]) : Optional.empty(),
                hasTopology ? SlurmOutput.optionalInt(topology[1]) : Optional.empty(),
                hasTopology ? SlurmOutput.optionalInt(topology[2]) : Optional.empty(),
                SlurmOutput.optionalInt(fields[1]),
                SlurmOutput.optionalDouble(fields[2]),
                SlurmOutput.optionalLong(fields[3]),
                fields[4].strip(),
                fields[6].strip(),
                fields[7].strip(),
                states(fields[8]),
                partitions(fields[9]),
                SlurmOutput.optionalInt(fields[10]),
                // FirecREST calls this allocMemory, but %m is the node's configured memory.
                SlurmOutput.optionalLong(fields[12]),
                hasCpuCounts ? SlurmOutput.optionalInt(cpuCounts[0]) : Optional.empty(),
                hasCpuCounts ? SlurmOutput.optionalInt(cpuCounts[1]) : Optional.empty());
    }

    /** {@code idle+drain} names two states; duplicates collapse. */
    private static List<NodeState> states(String field) {
        List<NodeState> states = new ArrayList<>();
        for (String word : field.strip().split("\\+")) {
            if (word.isBlank()) {
                continue;
            }
            NodeState state = NodeState.fromSlurm(word);
            if (!states.contains(state)) {
                states.add(state);
            }
        }
        return states;
    }

    private static List<String> partitions(String field) {
        String partition = field.strip();
        return partition.isEmpty() || partition.equals("(null)") ? List.of() : List.of(partition);
    }

    /** The first line's values, with the partitions of both. */
    private static Node withPartitionsOf(Node first, Node next) {
        List<String> partitions = new ArrayList<>(first.partitions());
        for (String partition : next.partitions()) {
            if (!partitions.contains(partition)) {
                partitions.add(partition);
            }
        }
        return new Node(first.name(), first.sockets(), first.cores(), first.threads(), first.cpus(),
                first.cpuLoad(), first.freeMemory(), first.features(), first.address(), first.hostname(),
                first.state(), partitions, first.weight(), first.allocMemory(), first.allocCpus(), first.idleCpus());
    }
}
