package io.goldcrest.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.config.ClusterConfig.SchedulerType;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job options of v1's internal transfers, and the v1-only job kinds; their jobs run on Slurm in V1StorageIT. */
class TransferOptionsTest {
    private static TransferOptions time(String time) {
        return new TransferOptions(Optional.empty(), Optional.empty(), Optional.of(time), Optional.empty());
    }

    private static TransferOptions after(String jobId) {
        return new TransferOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(jobId));
    }

    @Test
    void slurmsTimeFormatsBecomeOneDirective() {
        for (String value : List.of("30", "30:15", "2:30:00", "1-12", "1-12:30", "1-12:30:15")) {
            assertThat(time(value).directives(SchedulerType.SLURM)).containsExactly("#SBATCH --time=" + value);
        }
    }

    @Test
    void anyOtherTimeIsV1sError() {
        for (String value : List.of("", "2h", "1:2:3:4", "1-2-3", "-5", "10 --uid=0", "1\n#SBATCH --uid=0", ":30", "1-")) {
            assertThatThrownBy(() -> time(value))
                    .isInstanceOfSatisfying(GoldcrestException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                    .hasMessage("Not supported time format");
        }
    }

    @Test
    void aDependencyIsAfterokOnANumericJobId() {
        assertThat(after("4711").directives(SchedulerType.SLURM)).containsExactly("#SBATCH --dependency=afterok:4711");
        for (String value : List.of("1,2", "1?2", "12 --uid=0", "afterany:3", "")) {
            assertThatThrownBy(() -> after(value)).isInstanceOf(GoldcrestException.class).hasMessage("'" + value + "' is not a job id.");
        }
    }

    @Test
    void namesAndAccountsAreOneLine() {
        assertThatThrownBy(() -> new TransferOptions(Optional.of("a\nb"), Optional.empty(), Optional.empty(), Optional.empty()))
                .isInstanceOf(GoldcrestException.class).hasMessage("A job name must be one line of text.");
        assertThatThrownBy(() -> new TransferOptions(Optional.empty(), Optional.of("p\r"), Optional.empty(), Optional.empty()))
                .isInstanceOf(GoldcrestException.class).hasMessage("An account must be one line of text.");
        assertThat(new TransferOptions(Optional.of("it's \"$(x)\""), Optional.of("proj1"), Optional.empty(), Optional.empty())
                .directives(SchedulerType.SLURM)).isEmpty();
    }

    @Test
    void withoutSlurmOnlyTheEmptyOptionsWork() {
        assertThat(TransferOptions.NONE.directives(SchedulerType.PBS)).isEmpty();
        assertThatThrownBy(() -> time("30").directives(SchedulerType.PBS)).isInstanceOf(GoldcrestException.class);
    }

    @Test
    void rsyncAndUnzipQuoteTheirPaths() {
        String hostile = "/home/a/it's \"$(id)\" [1]*.zip";
        TransferJob rsync = new TransferJob.Rsync(hostile, "/home/a/t");
        assertThat(rsync.operation()).isEqualTo("rsync");
        assertThat(rsync.body()).contains("source='/home/a/it'\\''s \"$(id)\" [1]*.zip'")
                .contains("rsync -av -- \"$source\" \"$target\"").contains("Files were successfully synchronized.");
        TransferJob unzip = new TransferJob.Unzip(hostile, "/home/a/t");
        assertThat(unzip.operation()).isEqualTo("extract");
        assertThat(unzip.jobName()).isEqualTo("CompressFiles");
        // unzip itself only ever sees a plain name, never the pattern-like source
        assertThat(unzip.body()).contains("ln -s -- \"$source\" \"$work/archive.zip\"")
                .contains("unzip -o \"$work/archive.zip\" -d \"$target\"").doesNotContain("unzip -o \"$source\"");
    }
}
