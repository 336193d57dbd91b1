package io.goldcrest.scheduler.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import io.goldcrest.scheduler.JobState;
import io.goldcrest.scheduler.JobStatus;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlurmJobFieldsTest {
    @ParameterizedTest
    @CsvSource({
            "0:00, 0",
            "0:07, 7",
            "5:00, 300",
            "59:59, 3599",
            "1:00:00, 3600",
            "10:00:00, 36000",
            "1-02:03:04, 93784",
            "2-00:00:00, 172800",
            "00:00:00, 0",
            "'  0:07  ', 7",
            "01:02.345, 62"})
    void durationIsSeconds(String text, long seconds) {
        assertThat(SlurmJobFields.duration(text)).contains(seconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UNLIMITED", "INVALID", "N/A", "Partition_Limit", "", "7", "1-02", "a:bc", "1:2:3:4"})
    void durationThatIsNotOneIsEmpty(String text) {
        assertThat(SlurmJobFields.duration(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"5, 300", "60, 3600", "0, 0", "1440, 86400"})
    void limitInMinutesIsSeconds(String text, long seconds) {
        assertThat(SlurmJobFields.minutes(text)).contains(seconds);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UNLIMITED", "Partition_Limit", "", "1:00"})
    void limitThatIsNotMinutesIsEmpty(String text) {
        assertThat(SlurmJobFields.minutes(text)).isEmpty();
    }

    @Test
    void epochSecondsAreRead() {
        assertThat(SlurmJobFields.epoch("1795346765")).contains(1795346765L);
        assertThat(SlurmJobFields.epoch(" 1795346765 ")).contains(1795346765L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"N/A", "Unknown", "None", "", "0", "2026-11-22T11:25:59"})
    void epochThatIsNotATimeIsEmpty(String text) {
        assertThat(SlurmJobFields.epoch(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"3:0, 3, 0", "0:15, 0, 15", "0:0, 0, 0", "255:9, 255, 9", "' 1:0 ', 1, 0"})
    void exitCodeIsCodeAndSignal(String text, int code, int signal) {
        assertThat(SlurmJobFields.exitCode(text)).contains(new SlurmJobFields.ExitCode(code, signal));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3", "3:", ":0", "a:b", "3:0:0"})
    void exitCodeInAnotherShapeIsUnknown(String text) {
        assertThat(SlurmJobFields.exitCode(text)).isEmpty();
    }

    static Stream<Arguments> states() {
        return Stream.of(
                Arguments.of("CANCELLED by 1001", JobState.CANCELLED, "CANCELLED", Optional.of("1001")),
                Arguments.of("CANCELLED by 0", JobState.CANCELLED, "CANCELLED", Optional.of("0")),
                Arguments.of("CANCELLED", JobState.CANCELLED, "CANCELLED", Optional.empty()),
                Arguments.of("FAILED", JobState.FAILED, "FAILED", Optional.empty()),
                Arguments.of("RUNNING ", JobState.RUNNING, "RUNNING", Optional.empty()),
                Arguments.of("OUT_OF_MEMORY", JobState.OUT_OF_MEMORY, "OUT_OF_MEMORY", Optional.empty()),
                Arguments.of("NEW_STATE", JobState.UNKNOWN, "NEW_STATE", Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("states")
    void stateWordAndCanceller(String text, JobState state, String word, Optional<String> canceller) {
        assertThat(SlurmJobFields.stateWord(text)).isEqualTo(word);
        assertThat(SlurmJobFields.cancelledBy(text)).isEqualTo(canceller);
        assertThat(SlurmJobFields.status(text, Optional.empty(), "").state()).isEqualTo(state);
    }

    @Test
    void statusCarriesReasonAndExitCode() {
        assertThat(SlurmJobFields.status("FAILED", Optional.of("NonZeroExitCode"), "3:0")).isEqualTo(
                new JobStatus(JobState.FAILED, "FAILED", Optional.of("NonZeroExitCode"), Optional.of(3), Optional.of(0)));
        assertThat(SlurmJobFields.status("CANCELLED by 1001", Optional.empty(), "0:15")).isEqualTo(
                new JobStatus(JobState.CANCELLED, "CANCELLED", Optional.empty(), Optional.of(0), Optional.of(15)));
        assertThat(SlurmJobFields.status("PENDING", Optional.of("Dependency"), "")).isEqualTo(
                new JobStatus(JobState.PENDING, "PENDING", Optional.of("Dependency"), Optional.empty(), Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource({
            "18_3, 18, 3",
            "79_1, 79, 1",
            "18_[2-4%1], 18, 2-4%1",
            "18_[4-9], 18, 4-9",
            "'18_[1,3,5-7]', 18, '1,3,5-7'",
            "' 18_3 ', 18, 3"})
    void arrayIdIsTheArrayAndTheTaskPart(String text, String arrayJobId, String taskId) {
        assertThat(SlurmJobFields.arrayId(text)).contains(new SlurmJobFields.ArrayId(arrayJobId, taskId));
    }

    @ParameterizedTest
    @ValueSource(strings = {"18", "18.batch", "", "N/A", "_3", "18+0"})
    void plainJobIdIsNoArray(String text) {
        assertThat(SlurmJobFields.arrayId(text)).isEmpty();
    }

    @Test
    void fieldsAreSplitAtTheUnitSeparatorOnlyWhenTheLineEndsWithIt() {
        assertThat(SlurmJobFields.split("a\u001fb|c\u001f \u001f", 3)).contains(List.of("a", "b|c", " "));
        assertThat(SlurmJobFields.split("a\u001fb\u001f\u001f", 3)).contains(List.of("a", "b", ""));
        assertThat(SlurmJobFields.split("a\u001fb\u001f", 3)).isEmpty();
        assertThat(SlurmJobFields.split("a\u001fb\u001fc", 3)).isEmpty();
        assertThat(SlurmJobFields.split("a\u001fb\u001fc\u001fd\u001f", 3)).isEmpty();
        assertThat(SlurmJobFields.split("a|b|c|", 3)).isEmpty();
    }

    @Test
    void textIsEmptyWhenBlankOrNull() {
        assertThat(SlurmJobFields.text(" proj1 ")).contains("proj1");
        assertThat(SlurmJobFields.text("")).isEmpty();
        assertThat(SlurmJobFields.text("   ")).isEmpty();
        assertThat(SlurmJobFields.text("(null)")).isEmpty();
        assertThat(SlurmJobFields.text("None")).contains("None");
    }
}
