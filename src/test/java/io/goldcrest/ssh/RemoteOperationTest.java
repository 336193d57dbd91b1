package io.goldcrest.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The program name an audit line and a metric label carry: never an argument, never unbounded text. */
class RemoteOperationTest {
    @Test
    void theProgramIsTheFirstWordAfterEnvAndItsAssignments() {
        assertThat(RemoteOperation.program(List.of("env", "SLURM_TIME_FORMAT=%s", "squeue", "--all", "--user=alice"))).isEqualTo("squeue");
        assertThat(RemoteOperation.program(List.of("env", "LC_ALL=C", "ls", "-l", "--", "/home/alice/secret"))).isEqualTo("ls");
        assertThat(RemoteOperation.program(List.of("sbatch", "--chdir=/home/alice"))).isEqualTo("sbatch");
        assertThat(RemoteOperation.program(List.of("/usr/local/sbin/rsvmgmt", "-a"))).isEqualTo("rsvmgmt");
        assertThat(RemoteOperation.program(List.of("/usr/bin/env", "A=1", "B=2", "/usr/bin/id", "-Gn"))).isEqualTo("id");
    }

    @Test
    void oddProgramNamesAreNotReportedVerbatim() {
        assertThat(RemoteOperation.program(List.of("ls -l; rm -rf /"))).isEqualTo("other");
        assertThat(RemoteOperation.program(List.of("/home/alice/" + "x".repeat(100)))).isEqualTo("other");
        assertThat(RemoteOperation.program(List.of("/home/alice/"))).isEqualTo("other");
        assertThat(RemoteOperation.program(List.of())).isEqualTo("other");
        assertThat(RemoteOperation.program(List.of("env", "A=1"))).isEqualTo("env");
    }
}
