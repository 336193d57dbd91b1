package io.goldcrest.api.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.filesystem.Compression;
import io.goldcrest.filesystem.FileStat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the v1 utilities and status routes read from parameters and build from results. */
class V1UtilitiesFormatsTest {
    @Test
    void amountsAreCoreutilsNumbers() {
        assertThat(V1Amount.parse("lines", "10")).isEqualTo(new V1Amount(false, 10));
        assertThat(V1Amount.parse("bytes", "1b")).isEqualTo(new V1Amount(true, 512));
        assertThat(V1Amount.parse("bytes", "1K").count()).isEqualTo(1024);
        assertThat(V1Amount.parse("bytes", "1k").count()).isEqualTo(1024);
        assertThat(V1Amount.parse("bytes", "1KiB").count()).isEqualTo(1024);
        assertThat(V1Amount.parse("bytes", "1kB").count()).isEqualTo(1000);
        assertThat(V1Amount.parse("bytes", "3M").count()).isEqualTo(3L << 20);
        assertThat(V1Amount.parse("bytes", "2GB").count()).isEqualTo(2_000_000_000L);
        // Beyond a long means "everything", as for head itself.
        assertThat(V1Amount.parse("lines", "9Y").count()).isEqualTo(Long.MAX_VALUE);
        assertThat(V1Amount.parse("lines", "99999999999999999999999").count()).isEqualTo(Long.MAX_VALUE);
        for (String bad : List.of("ten", "-5", "+5", "1x", "1 K", "1Kb", "'1'", "1;id", "")) {
            assertThatThrownBy(() -> V1Amount.parse("lines", bad)).as(bad)
                    .isInstanceOf(GoldcrestException.class)
                    .hasMessage("invalid number of lines: '" + bad + "'")
                    .extracting(error -> ((GoldcrestException) error).code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
        }
    }

    @Test
    void archivesAreToldByTypeExtensionOrName() {
        assertThat(V1Archive.of("auto", "/a/b.zip")).contains(V1Archive.ZIP);
        assertThat(V1Archive.of("auto", "/a/b.TAR")).contains(V1Archive.TAR);
        assertThat(V1Archive.of("auto", "/a/b.tar.gz")).contains(V1Archive.GZIP);
        assertThat(V1Archive.of("auto", "/a/b.tgz")).contains(V1Archive.GZIP);
        assertThat(V1Archive.of("auto", "/a/b.tar.bz2")).contains(V1Archive.BZIP2);
        assertThat(V1Archive.of("auto", "/a/b.txz")).contains(V1Archive.XZ);
        assertThat(V1Archive.of("auto", "/a/b.rar")).isEmpty();
        assertThat(V1Archive.of("", "/a/zip")).isEmpty();
        // pyfirecrest's extensions have a dot, v1's type may not; both name the kind whatever the file is called.
        assertThat(V1Archive.of(".zip", "/a/data.bin")).contains(V1Archive.ZIP);
        assertThat(V1Archive.of("tar", "/a/data.zip")).contains(V1Archive.TAR);
        assertThat(V1Archive.of(".tar.gz", "/a/data")).contains(V1Archive.GZIP);
        assertThat(V1Archive.of("7z", "/a/data.zip")).isEmpty();
        assertThat(V1Archive.ZIP.compression()).isEmpty();
        assertThat(V1Archive.TAR.compression()).contains(Compression.NONE);
        assertThat(V1Archive.BZIP2.compression()).contains(Compression.BZIP2);
    }

    @Test
    void pagesAreNumberedFromOneAndOutOfRangeIsEverything() {
        List<Integer> all = List.of(1, 2, 3, 4, 5);
        assertThat(V1FileDtos.page(all, Optional.of("2"), Optional.of("1"))).containsExactly(1, 2);
        assertThat(V1FileDtos.page(all, Optional.of("2"), Optional.of("3"))).containsExactly(5);
        assertThat(V1FileDtos.page(all, Optional.of("2"), Optional.of("4"))).isEqualTo(all);
        assertThat(V1FileDtos.page(all, Optional.of("2"), Optional.of("0"))).isEqualTo(all);
        assertThat(V1FileDtos.page(all, Optional.of("0"), Optional.of("1"))).isEqualTo(all);
        assertThat(V1FileDtos.page(all, Optional.of("NaN"), Optional.of("1"))).isEqualTo(all);
        assertThat(V1FileDtos.page(all, Optional.of("2"), Optional.of("NaN"))).isEqualTo(all);
        assertThat(V1FileDtos.page(all, Optional.of("two"), Optional.of("1"))).isEqualTo(all);
        assertThat(V1FileDtos.page(all, Optional.of("2"), Optional.empty())).isEqualTo(all);
        assertThat(V1FileDtos.page(List.of(), Optional.of("2"), Optional.of("1"))).isEmpty();
    }

    @Test
    void grepKeepsTheLinesHoldingTheTextLiterally() {
        assertThat(V1FileDtos.matchingLines("a.b\naxb\nc", "a.b")).contains("a.b\n");
        assertThat(V1FileDtos.matchingLines("one\ntwo\nthree", "o")).contains("one\ntwo\n");
        // The last line needs no newline to match, and gets one, as from grep.
        assertThat(V1FileDtos.matchingLines("x\nlast", "la")).contains("last\n");
        assertThat(V1FileDtos.matchingLines("one\ntwo\n", "z")).isEmpty();
        assertThat(V1FileDtos.matchingLines("", "z")).isEmpty();
    }

    @Test
    void attachmentsNameTheFile() {
        assertThat(V1FileDtos.contentDisposition("/a/data.bin")).isEqualTo("attachment; filename=data.bin");
        assertThat(V1FileDtos.contentDisposition("/a/dir/")).isEqualTo("attachment; filename=dir");
        assertThat(V1FileDtos.contentDisposition("/a/my \"file\" \\x")).isEqualTo("attachment; filename=\"my \\\"file\\\" \\\\x\"");
        assertThat(V1FileDtos.contentDisposition("/a/caf\u00e9 1.txt"))
                .isEqualTo("attachment; filename=\"caf_ 1.txt\"; filename*=UTF-8''caf%C3%A9%201.txt");
        assertThat(V1FileDtos.contentDisposition("/a/b\nc")).isEqualTo("attachment; filename=\"b_c\"; filename*=UTF-8''b%0Ac");
    }

    @Test
    void chmodAndChownLinesAreTheToolsVerboseOnes() {
        FileStat before = stat(0100644, 1001, 1001);
        FileStat after = stat(0104750, 1001, 1001);
        assertThat(V1FileDtos.chmodMessage("/a/it's", before, after))
                .isEqualTo("mode of '/a/it'\\''s' changed from 0644 (rw-r--r--) to 4750 (rwsr-x---)");
        assertThat(V1FileDtos.chmodMessage("/a/f", after, after)).isEqualTo("mode of '/a/f' retained as 4750 (rwsr-x---)");
    }

    private static FileStat stat(long mode, long uid, long gid) {
        return new FileStat(mode, 1, 2, 1, uid, gid, 0, 0, 0, 0);
    }

    @Test
    void megabytesAreMebibytesWithFractionsWhenNeeded() {
        assertThat(V1StatusRoutes.megabytes(5242880)).isEqualTo("5");
        assertThat(V1StatusRoutes.megabytes(65536)).isEqualTo("0.0625");
        assertThat(V1StatusRoutes.megabytes(1)).isEqualTo("0.00000095367431640625");
        assertThat(V1StatusRoutes.megabytes(0)).isEqualTo("0");
    }
}
