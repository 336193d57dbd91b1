package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.scheduler.AccountedJob;
import io.goldcrest.scheduler.AccountingQuery;
import io.goldcrest.scheduler.CapturedCommand;
import io.goldcrest.ssh.ShellQuoting;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * sacct --allocations against captured accounting: alice's 500 ran two CPUs for 2 s and exited 3,
 * 501 completed, 502 was still running.
 */
class SacctAllocationsCommandTest {
    private static final AccountingQuery JOBS = new AccountingQuery(Optional.empty(), Optional.empty(), List.of("500", "501", "502"));
    private static final long START = 1795353530L;

    private static final AccountedJob FAILED = new AccountedJob("500", "normal", "gc-acct-exit3", "alice", "FAILED",
            Optional.of(START), Optional.of(START + 2), Optional.of(2L), Optional.of(4L), 1, "localhost", Optional.of(3), Optional.of(0));
    private static final AccountedJob DONE = new AccountedJob("501", "normal", "gc-acct-done", "alice", "COMPLETED",
            Optional.of(START), Optional.of(START + 1), Optional.of(1L), Optional.of(1L), 1, "localhost", Optional.of(0), Optional.of(0));
    private static final AccountedJob RUNNING = new AccountedJob("502", "normal", "gc-acct-running", "alice", "RUNNING",
            Optional.of(START), Optional.empty(), Optional.of(3L), Optional.of(3L), 1, "localhost", Optional.of(0), Optional.of(0));

    @Test
    void commandLinesAreTheCapturedOnes() {
        assertThat(line(JOBS)).isEqualTo(CapturedCommand.slurm("sacct-allocations-jobs").commandLine());
        assertThat(line(new AccountingQuery(Optional.of("now-1hours"), Optional.of("now"), List.of())))
                .isEqualTo(CapturedCommand.slurm("sacct-allocations-window").commandLine());
        assertThat(line(new AccountingQuery(Optional.empty(), Optional.empty(), List.of("999999"))))
                .isEqualTo(CapturedCommand.slurm("sacct-allocations-unknown").commandLine());
    }

    @Test
    void exitCodesCpuTimeAndAMissingEndAreRead() {
        assertThat(parse("sacct-allocations-jobs")).containsExactly(FAILED, DONE, RUNNING);
    }

    /** With ids, sacct shows bob alice's jobs too (PrivateData is not set), as FirecREST v1 did. */
    @Test
    void anotherUserSeesTheJobsByTheirIds() {
        assertThat(parse("sacct-allocations-other-user")).containsExactly(FAILED, DONE, RUNNING);
    }

    @Test
    void aWindowGivesTheOwnJobsInIt() {
        List<AccountedJob> jobs = parse("sacct-allocations-window");
        assertThat(jobs).contains(FAILED, DONE, RUNNING);
        assertThat(jobs).extracting(AccountedJob::user).containsOnly("alice");
    }

    @Test
    void unknownIdIsNoJob() {
        assertThat(parse("sacct-allocations-unknown")).isEmpty();
    }

    @Test
    void databaseDownIsASchedulerErrorQuotingSacct() {
        assertThatThrownBy(() -> parse("sacct-allocations-dbd-down"))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEDULER_ERROR))
                .hasMessageStartingWith("Unexpected Slurm command response. exit_status:1 std_err:sacct: error:")
                .hasMessageContaining("Connection refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12:30", "12:30:15", "4:05pm", "0501", "050124", "05/01", "05/01/24", "05.01.2024-10:00",
            "2024-05-01", "2024-05-01T10:00", "2024-05-01T10:00:30", "today", "midnight", "NOW", "now-2days", "now+30",
            "now-1hours"})
    void slurmsTimeFormsAreTimes(String time) {
        assertThat(AccountingQuery.isTime(time)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday-ish", "2024-05-01 10:00", "05/01.24", "now-", "now-2fortnights", "1;date",
            "--allusers", "2024-05-01T10:00'", "12:3"})
    void otherTextIsNoTimeAndRefused(String time) {
        assertThat(AccountingQuery.isTime(time)).isFalse();
        assertThatThrownBy(() -> new AccountingQuery(Optional.of(time), Optional.empty(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid start time: '" + time + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"12", "12_3", "12_[1-4]", "12+1"})
    void jobIdsInSlurmsFormsAreAccepted(String jobId) {
        assertThat(new SacctAllocationsCommand(new AccountingQuery(Optional.empty(), Optional.empty(), List.of(jobId))).argv())
                .contains("--jobs=" + jobId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12,13", "-12", "12_", "12_[1-4];x", "abc", "12 13", "12_[1-]"})
    void otherJobIdsAreRefused(String jobId) {
        assertThatThrownBy(() -> new AccountingQuery(Optional.empty(), Optional.empty(), List.of(jobId)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid job id: '" + jobId + "'");
    }

    private static String line(AccountingQuery query) {
        return ShellQuoting.join(new SacctAllocationsCommand(query).argv());
    }

    private static List<AccountedJob> parse(String fixture) {
        return new SacctAllocationsCommand(JOBS).parse(CapturedCommand.slurm(fixture).result());
    }
}
