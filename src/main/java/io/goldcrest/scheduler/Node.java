package io.goldcrest.scheduler;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A compute node; numeric fields are empty when the scheduler did not report a number. */
public record Node(
        String name,
        Optional<Integer> sockets,
        Optional<Integer> cores,
        Optional<Integer> threads,
        Optional<Integer> cpus,
        Optional<Double> cpuLoad,
        Optional<Long> freeMemory,
        String features,
        String address,
        String hostname,
        List<NodeState> state,
        List<String> partitions,
        Optional<Integer> weight,
        Optional<Long> allocMemory,
        Optional<Integer> allocCpus,
        Optional<Integer> idleCpus) {

    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sockets, "sockets");
        Objects.requireNonNull(cores, "cores");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(cpuLoad, "cpuLoad");
        Objects.requireNonNull(freeMemory, "freeMemory");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(hostname, "hostname");
        state = List.copyOf(state);
        partitions = List.copyOf(partitions);
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(allocMemory, "allocMemory");
        Objects.requireNonNull(allocCpus, "allocCpus");
        Objects.requireNonNull(idleCpus, "idleCpus");
    }
}
