package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SacctmgrCommandsTest {
    @Test
    void commandLinesAreTheCapturedOnes() {
        assertThat(ShellQuoting.join(new SacctmgrAssociationsCommand("alice").argv()))
                .isEqualTo("'sacctmgr' 'show' 'assoc' 'user=alice' 'format=account' '-n' '-P'")
                .isEqualTo(CapturedCommand.slurm("sacctmgr-assoc-alice").commandLine());
        assertThat(ShellQuoting.join(new SacctmgrDefaultAccountCommand("alice").argv()))
                .isEqualTo("'sacctmgr' 'show' 'user' 'name=alice' 'format=defaultaccount' '-n' '-P'")
                .isEqualTo(CapturedCommand.slurm("sacctmgr-default-alice").commandLine());
        assertThat(ShellQuoting.join(new SacctmgrAssociationsCommand("nobody").argv()))
                .isEqualTo(CapturedCommand.slurm("sacctmgr-assoc-nobody").commandLine());
        assertThat(ShellQuoting.join(new SacctmgrDefaultAccountCommand("nobody").argv()))
                .isEqualTo(CapturedCommand.slurm("sacctmgr-default-nobody").commandLine());
    }

    @Test
    void aliceHasTwoAccountsAndDefaultsToProj1() {
        assertThat(new SacctmgrAssociationsCommand("alice").parse(CapturedCommand.slurm("sacctmgr-assoc-alice").result()))
                .containsExactly("proj1", "proj2");
        assertThat(new SacctmgrDefaultAccountCommand("alice").parse(CapturedCommand.slurm("sacctmgr-default-alice").result()))
                .contains("proj1");
    }

    @Test
    void userWithoutAssociationsHasNoAccountsAndNoDefault() {
        assertThat(new SacctmgrAssociationsCommand("nobody").parse(CapturedCommand.slurm("sacctmgr-assoc-nobody").result()))
                .isEmpty();
        assertThat(new SacctmgrDefaultAccountCommand("nobody").parse(CapturedCommand.slurm("sacctmgr-default-nobody").result()))
                .isEmpty();
    }

    @Test
    void accountsAreDeduplicatedInOrder() {
        // One association per partition repeats the account.
        assertThat(new SacctmgrAssociationsCommand("alice").parse(new CommandResult(0, "proj2\nproj1\n\nproj2\nproj1 \n", "")))
                .containsExactly("proj2", "proj1");
    }

    @Test
    void slurmdbdDownIsASchedulerErrorWithTheStandardError() {
        CommandResult result = CapturedCommand.slurm("sacctmgr-assoc-dbd-down").result();

        assertThatThrownBy(() -> new SacctmgrAssociationsCommand("alice").parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessage("Unexpected Slurm command response. exit_status:1 std_err:"
                        + "sacctmgr: error: slurm_persist_conn_open_without_init: failed to open persistent connection"
                        + " to host:localhost:6899: Connection refused\n"
                        + "sacctmgr: error: Sending PersistInit msg: Connection refused");
        assertThatThrownBy(() -> new SacctmgrDefaultAccountCommand("alice").parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "-alice", "--help", "alice;id", "alice bob", "alice'", "'alice'", "al\"ice", "alice\n",
            "alice\nbob", "user=bob", "alice$", "a/b", "$(id)", "`id`", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123"})
    void hostileUserNamesAreRejected(String user) {
        assertThatThrownBy(() -> new SacctmgrAssociationsCommand(user))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid user name: '" + user + "'");
        assertThatThrownBy(() -> new SacctmgrDefaultAccountCommand(user))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid user name: '" + user + "'");
    }

    @Test
    void nullUserNameIsRejected() {
        assertThatThrownBy(() -> new SacctmgrAssociationsCommand(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SacctmgrDefaultAccountCommand(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "_svc", "bob.smith", "svc-backup_2", "Alice", "service-account-goldcrest-service"})
    void portableUserNamesAreAccepted(String user) {
        assertThat(new SacctmgrAssociationsCommand(user).argv()).contains("user=" + user);
        assertThat(new SacctmgrDefaultAccountCommand(user).argv()).contains("name=" + user);
    }
}
