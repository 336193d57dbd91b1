package io.goldcrest.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.filesystem.Compression;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The text of transfer job scripts; the jobs themselves run on Slurm in TransferApiIT. */
class TransferScriptTest {
    private static final TransferJob MOVE = new TransferJob.Move("/home/a/x", "/home/a/y");

    @Test
    void directivesComeRightAfterTheShebangWithTheAccountFilledIn() {
        String script = TransferScript.render(List.of("#SBATCH --partition=xfer", "#SBATCH --account={account}"),
                Optional.of("proj1"), MOVE);
        assertThat(script).startsWith("#!/bin/bash\n#SBATCH --partition=xfer\n#SBATCH --account=proj1\n");
        assertThat(script).contains("MoveFiles Job (id:${SLURM_JOB_ID:-${PBS_JOBID:-unknown}})");
        assertThat(script).contains("set -eo pipefail\n");
        assertThat(script).endsWith("log 'Files were successfully moved.'\n");
    }

    @Test
    void aDirectiveWithTheAccountPlaceholderNeedsAnAccount() {
        assertThatThrownBy(() -> TransferScript.render(List.of("#SBATCH --account={account}"), Optional.empty(), MOVE))
                .isInstanceOfSatisfying(GoldcrestException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
                    assertThat(e.getMessage()).isEqualTo("Account parameter is required on this system.");
                });
    }

    @Test
    void anAccountThatCouldAddOptionsOrLinesIsRefused() {
        for (String account : List.of("p --uid=0", "p\n#SBATCH --uid=0", "-p", "p;id")) {
            assertThatThrownBy(() -> TransferScript.render(List.of("#SBATCH --account={account}"), Optional.of(account), MOVE))
                    .isInstanceOf(GoldcrestException.class).hasMessageContaining("not a valid account name");
        }
    }

    @Test
    void withoutThePlaceholderTheAccountIsNotNeeded() {
        assertThat(TransferScript.render(List.of("#SBATCH --partition=xfer"), Optional.empty(), MOVE)).contains("--partition=xfer");
    }

    @Test
    void pathsAreSingleQuotedWordsNotHtmlEntities() {
        String hostile = "/home/a/it's & <b> \"$(id)\"";
        String body = new TransferJob.Copy(hostile, "/home/a/t", true).body();
        assertThat(body).contains("source='/home/a/it'\\''s & <b> \"$(id)\"'");
        assertThat(body).contains("cp --force -RL --preserve=all -- \"$source\" \"$target\"");
        assertThat(body).doesNotContain("&amp;").doesNotContain("&#39;");
        assertThat(new TransferJob.Copy(hostile, "/t", false).body()).contains("-Rd");
    }

    @Test
    void jobNamesAndSuccessLinesAreFirecrests() {
        assertThat(new TransferJob.Move("/a", "/b").jobName()).isEqualTo("MoveFiles");
        assertThat(new TransferJob.Copy("/a", "/b", false).jobName()).isEqualTo("CopyFiles");
        assertThat(new TransferJob.Delete("/a").jobName()).isEqualTo("DeleteFiles");
        assertThat(new TransferJob.Compress("/a", "/b.tgz", Optional.empty(), false, Compression.GZIP).jobName()).isEqualTo("CompressFiles");
        assertThat(new TransferJob.Extract("/a.tgz", "/b", Compression.GZIP).jobName()).isEqualTo("CompressFiles");
        assertThat(new TransferJob.Delete("/a").body()).contains("Files were successfully deleted.");
        assertThat(new TransferJob.Compress("/a", "/b", Optional.empty(), false, Compression.XZ).body())
                .contains("tar -cJvf \"$target\" -C \"$directory\" -- \"$name\"").contains("Files were successfully compressed.");
        assertThat(new TransferJob.Extract("/a", "/b", Compression.BZIP2).body())
                .contains("tar -xjf \"$source\" -C \"$target\"").contains("Files were successfully extracted.");
    }

    @Test
    void presignedUrlsReachCurlThroughItsConfigOnStdinNeverItsArguments() {
        URI head = URI.create("http://127.0.0.1:9000/b/k?X-Amz-Signature=abc");
        URI get = URI.create("http://127.0.0.1:9000/b/k?X-Amz-Signature=def");
        String ingress = new TransferJob.Ingress("/home/a/f", head, get, 1_700_000_000L, 10).body();
        assertThat(ingress).contains("head_url='" + head + "'").contains("get_url='" + get + "'");
        assertThat(ingress.lines().filter(line -> line.contains("curl")))
                .allSatisfy(line -> assertThat(line).contains("--config -").doesNotContain("X-Amz-Signature"));
        assertThat(ingress).contains("File was successfully downloaded (size: ");
        String egress = new TransferJob.Egress("/home/a/f", List.of(head, get), URI.create("http://127.0.0.1:9000/c?X-Amz-Signature=x"),
                5 << 20, 3, "/home/a/tmp").body();
        assertThat(egress).contains("part_url[1]='" + head + "'").contains("part_url[2]='" + get + "'");
        assertThat(egress.lines().filter(line -> line.contains("curl ")))
                .allSatisfy(line -> assertThat(line).doesNotContain("X-Amz-Signature"));
        assertThat(egress).contains("[INFO] Multipart file upload successfully completed");
    }
}
