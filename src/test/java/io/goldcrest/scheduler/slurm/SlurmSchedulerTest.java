package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.Account;
import io.goldcrest.scheduler.ControllerPing;
import io.goldcrest.scheduler.Node;
import io.goldcrest.scheduler.Partition;
import io.goldcrest.scheduler.Reservation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler against a runner replaying the captured cluster answers by command line. */
class SlurmSchedulerTest {
    private final SlurmScheduler scheduler = new SlurmScheduler();

    @Test
    void nodes() {
        ReplayRunner runner = new ReplayRunner("alice", "sinfo-nodes-idle");

        assertThat(scheduler.nodes(runner)).extracting(Node::name, Node::partitions)
                .containsExactly(tuple("localhost", List.of("normal", "xfer")));
    }

    @Test
    void partitionsHonourShowHidden() {
        ReplayRunner runner = new ReplayRunner("alice", "partitions-with-hidden");

        assertThat(scheduler.partitions(runner, false)).extracting(Partition::name).containsExactly("normal", "xfer");
        assertThat(scheduler.partitions(runner, true)).extracting(Partition::name)
                .containsExactly("normal", "xfer", "goldcrest_hidden");
    }

    @Test
    void reservations() {
        assertThat(scheduler.reservations(new ReplayRunner("alice", "reservations")))
                .extracting(Reservation::name).containsExactly("goldcrest_maint", "goldcrest_core");
        assertThat(scheduler.reservations(new ReplayRunner("alice", "reservations-none"))).isEmpty();
    }

    @Test
    void ping() {
        assertThat(scheduler.ping(new ReplayRunner("alice", "ping-up")))
                .extracting(ControllerPing::isUp).containsExactly(true);
        assertThat(scheduler.ping(new ReplayRunner("alice", "ping-down")))
                .extracting(ControllerPing::isUp).containsExactly(false);
    }

    @Test
    void accountsFlagTheDefault() {
        ReplayRunner runner = new ReplayRunner("alice", "sacctmgr-assoc-alice", "sacctmgr-default-alice");

        assertThat(scheduler.accounts(runner))
                .contains(List.of(new Account("proj1", true), new Account("proj2", false)));
    }

    @Test
    void userWithoutAssociationsHasNoAccountsAndNoSecondLookup() {
        ReplayRunner runner = new ReplayRunner("nobody", "sacctmgr-assoc-nobody", "sacctmgr-default-nobody");

        assertThat(scheduler.accounts(runner)).isEmpty();
        assertThat(runner.commandLines())
                .containsExactly("'sacctmgr' 'show' 'assoc' 'user=nobody' 'format=account' '-n' '-P'");
    }

    @Test
    void failuresPassThrough() {
        assertThatThrownBy(() -> scheduler.nodes(new ReplayRunner("alice", "sinfo-nodes-controller-down")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR));
        assertThatThrownBy(() -> scheduler.accounts(new ReplayRunner("alice", "sacctmgr-assoc-dbd-down")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR));
    }

    @Test
    void hostileRunnerUserIsRejectedBeforeAnythingRuns() {
        ReplayRunner runner = new ReplayRunner("alice;reboot");

        assertThatThrownBy(() -> scheduler.accounts(runner)).isInstanceOf(IllegalArgumentException.class);
        assertThat(runner.commandLines()).isEmpty();
    }
}
