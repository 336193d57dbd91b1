package io.goldcrest.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.ShellQuoting;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdCommandTest {
    private final IdCommand command = new IdCommand();

    @Test
    void commandLineIsTheCapturedOne() {
        assertThat(ShellQuoting.join(command.argv()))
                .isEqualTo("'id'")
                .isEqualTo(CapturedCommand.load(CapturedCommand.ID, "id-alice").commandLine());
    }

    @Test
    void alice() {
        UserIdentity identity = command.parse(CapturedCommand.load(CapturedCommand.ID, "id-alice").result());

        assertThat(identity).isEqualTo(new UserIdentity(
                id("1001", "alice"), id("1001", "alice"), List.of(id("1001", "alice"))));
    }

    @Test
    void severalGroups() {
        UserIdentity identity = command.parse(new CommandResult(0,
                "uid=1000(fireuser) gid=100(users) groups=100(users),27(sudo),513(domain users)\n", ""));

        assertThat(identity).isEqualTo(new UserIdentity(id("1000", "fireuser"), id("100", "users"),
                List.of(id("100", "users"), id("27", "sudo"), id("513", "domain users"))));
    }

    @Test
    void missingNamesAreTheNumbers() {
        UserIdentity identity = command.parse(new CommandResult(0, "uid=1001 gid=1001 groups=1001,42(staff)\n", ""));

        assertThat(identity).isEqualTo(new UserIdentity(
                id("1001", "1001"), id("1001", "1001"), List.of(id("1001", "1001"), id("42", "staff"))));
    }

    @Test
    void withoutGroupsList() {
        assertThat(command.parse(new CommandResult(0, "uid=1001 gid=1001\n", "")))
                .isEqualTo(new UserIdentity(id("1001", "1001"), id("1001", "1001"), List.of()));
    }

    @Test
    void selinuxContextIsIgnored() {
        UserIdentity identity = command.parse(new CommandResult(0,
                "uid=1000(alice) gid=1000(alice) groups=1000(alice) context=unconfined_u:unconfined_r:unconfined_t:s0\n", ""));

        assertThat(identity.groups()).containsExactly(id("1000", "alice"));
    }

    @Test
    void nonZeroExitIsARemoteCommandFailure() {
        CommandResult result = CapturedCommand.load(CapturedCommand.ID, "id-unknown-user").result();

        assertThatThrownBy(() -> command.parse(result))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_COMMAND_FAILED))
                .hasMessage("Remote process failed with exit status:1 and error message:id: \u2018nosuchuser\u2019: no such user");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "uid=alice gid=1", "gid=1000(a) uid=1000(a)", "uid=1(a) gid=1(a)\nuid=2(b) gid=2(b)"})
    void unreadableOutputIsQuoted(String stdout) {
        assertThatThrownBy(() -> command.parse(new CommandResult(0, stdout, "")))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REMOTE_COMMAND_FAILED))
                .hasMessage("Cannot read id output: '" + stdout.strip() + "'");
    }

    private static UserIdentity.Id id(String number, String name) {
        return new UserIdentity.Id(number, name);
    }
}
