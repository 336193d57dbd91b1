package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.scheduler.Node;
import io.goldcrest.scheduler.NodeState;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SinfoNodesCommandTest {
    private final SinfoNodesCommand command = new SinfoNodesCommand();

    @Test
    void commandLineIsTheCapturedOne() {
        assertThat(ShellQuoting.join(command.argv()))
                .isEqualTo("'sinfo' '-a' '-N' '--noheader' '--format=%z|%c|%O|%e|%f|%N|%o|%n|%T|%R|%w|%v|%m|%C'")
                .isEqualTo(CapturedCommand.slurm("sinfo-nodes-idle").commandLine());
    }

    @Test
    void idleNodeInTwoPartitionsIsOneNode() {
        List<Node> nodes = parse("sinfo-nodes-idle");

        assertThat(nodes).containsExactly(new Node(
                "localhost",
                Optional.of(1), Optional.of(8), Optional.of(1),
                Optional.of(8),
                Optional.of(0.76),
                Optional.of(22964L),
                "(null)",
                "127.0.0.1",
                "localhost",
                List.of(NodeState.IDLE),
                List.of("normal", "xfer"),
                Optional.of(1),
                Optional.of(4000L),
                Optional.of(0),
                Optional.of(8)));
    }

    @Test
    void socketsCoresAndThreadsEachTakeTheirOwnNumber() {
        Node node = parse("sinfo-nodes-idle").get(0);

        assertThat(node.sockets()).contains(1);
        assertThat(node.cores()).contains(8);
        assertThat(node.threads()).contains(1);
    }

    @Test
    void nodeRunningOneSingleCoreJobIsMixed() {
        Node node = single(parse("sinfo-nodes-mixed"));

        assertThat(node.state()).containsExactly(NodeState.MIXED);
        assertThat(node.allocCpus()).contains(1);
        assertThat(node.idleCpus()).contains(7);
        assertThat(node.partitions()).containsExactly("normal", "xfer");
    }

    @Test
    void drainingAndDrainedNodesAreDrain() {
        Node draining = single(parse("sinfo-nodes-draining"));
        Node drained = single(parse("sinfo-nodes-drained"));

        assertThat(draining.state()).containsExactly(NodeState.DRAIN);
        assertThat(draining.allocCpus()).contains(1);
        assertThat(draining.idleCpus()).contains(0);
        assertThat(drained.state()).containsExactly(NodeState.DRAIN);
        assertThat(drained.allocCpus()).contains(0);
        assertThat(drained.idleCpus()).contains(0);
    }

    @Test
    void controllerDownIsASchedulerErrorWithTheStandardError() {
        assertThatThrownBy(() -> parse("sinfo-nodes-controller-down"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 "
                        + "std_err:slurm_load_partitions: Unable to contact slurm controller (connect failure)");
    }

    @Test
    void linesOfSeveralNodesMergeByNameInFirstSeenOrder() {
        String stdout = """
                2:4:2|16|1.50|1000|gpu|nid002|10.0.0.2|nid002|allocated|normal|10|22.05.8|64000|16/0/0/16
                1:8:1|8|0.10|2000|(null)|nid001|10.0.0.1|nid001|idle|normal|1|22.05.8|32000|0/8/0/8
                2:4:2|16|1.50|1000|gpu|nid002|10.0.0.2|nid002|allocated|gpu|10|22.05.8|64000|16/0/0/16
                1:8:1|8|0.10|2000|(null)|nid001|10.0.0.1|nid001|idle|debug|1|22.05.8|32000|0/8/0/8
                2:4:2|16|1.50|1000|gpu|nid002|10.0.0.2|nid002|allocated|normal|10|22.05.8|64000|16/0/0/16
                """;

        List<Node> nodes = command.parse(new CommandResult(0, stdout, ""));

        assertThat(nodes).extracting(Node::name).containsExactly("nid002", "nid001");
        assertThat(nodes.get(0).partitions()).containsExactly("normal", "gpu");
        assertThat(nodes.get(0).sockets()).contains(2);
        assertThat(nodes.get(0).cores()).contains(4);
        assertThat(nodes.get(0).threads()).contains(2);
        assertThat(nodes.get(0).features()).isEqualTo("gpu");
        assertThat(nodes.get(0).state()).containsExactly(NodeState.ALLOCATED);
        assertThat(nodes.get(1).partitions()).containsExactly("normal", "debug");
    }

    @Test
    void plusJoinedStateGivesEveryState() {
        Node node = single(command.parse(new CommandResult(0,
                "1:8:1|8|0.10|2000|(null)|nid001|nid001|nid001|idle+drain+drain|normal|1|22.05.8|32000|0/8/0/8\n", "")));

        assertThat(node.state()).containsExactly(NodeState.IDLE, NodeState.DRAIN);
    }

    @Test
    void stateFlagsAreIgnored() {
        Node node = single(command.parse(new CommandResult(0,
                "1:8:1|8|N/A|N/A|(null)|nid001|nid001|nid001|idle*|normal|1|N/A|32000|0/8/0/8\n", "")));

        assertThat(node.state()).containsExactly(NodeState.IDLE);
    }

    @Test
    void nonNumericValuesAreEmpty() {
        Node node = single(command.parse(new CommandResult(0,
                "N/A|N/A|N/A|N/A|(null)|nid001|nid001|nid001|down*|normal|N/A|N/A|N/A|N/A\n", "")));

        assertThat(node.sockets()).isEmpty();
        assertThat(node.cores()).isEmpty();
        assertThat(node.threads()).isEmpty();
        assertThat(node.cpus()).isEmpty();
        assertThat(node.cpuLoad()).isEmpty();
        assertThat(node.freeMemory()).isEmpty();
        assertThat(node.weight()).isEmpty();
        assertThat(node.allocMemory()).isEmpty();
        assertThat(node.allocCpus()).isEmpty();
        assertThat(node.idleCpus()).isEmpty();
        assertThat(node.state()).containsExactly(NodeState.DOWN);
    }

    @Test
    void partialTopologyIsEmptyRatherThanMisassigned() {
        Node node = single(command.parse(new CommandResult(0,
                "1:8|8|0.1|2000|(null)|nid001|nid001|nid001|idle|normal|1|22.05.8|32000|0/8/8\n", "")));

        assertThat(node.sockets()).isEmpty();
        assertThat(node.cores()).isEmpty();
        assertThat(node.threads()).isEmpty();
        assertThat(node.allocCpus()).isEmpty();
        assertThat(node.idleCpus()).isEmpty();
    }

    @Test
    void emptyOutputIsNoNodes() {
        assertThat(command.parse(new CommandResult(0, "", ""))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "garbage",
            "1:8:1|8|0.76|22964|(null)|localhost|127.0.0.1|localhost|idle|normal|1|22.05.8|4000",
            "1:8:1|8|0.76|22964|(null)|localhost|127.0.0.1|localhost|idle|normal|1|22.05.8|4000|0/8/0/8|extra"})
    void lineWithoutFourteenFieldsIsQuoted(String line) {
        int fields = line.split("\\|", -1).length;

        assertThatThrownBy(() -> command.parse(new CommandResult(0, line + "\n", "")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Cannot read sinfo line (expected 14 fields, got " + fields + "): '" + line + "'");
    }

    @Test
    void lineWithoutNodeNameIsQuoted() {
        String line = "1:8:1|8|0.76|22964|(null)||127.0.0.1|localhost|idle|normal|1|22.05.8|4000|0/8/0/8";

        assertThatThrownBy(() -> command.parse(new CommandResult(0, line, "")))
                .hasMessage("Cannot read sinfo line (no node name): '" + line + "'");
    }

    @Test
    void longBadLineIsShortened() {
        String line = "x".repeat(500);

        assertThatThrownBy(() -> command.parse(new CommandResult(0, line, "")))
                .hasMessage("Cannot read sinfo line (expected 14 fields, got 1): '" + "x".repeat(200) + "...'");
    }

    private List<Node> parse(String fixture) {
        return command.parse(CapturedCommand.slurm(fixture).result());
    }

    private static Node single(List<Node> nodes) {
        assertThat(nodes).hasSize(1);
        return nodes.get(0);
    }
}
