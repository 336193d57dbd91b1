package io.goldcrest.api.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.goldcrest.error.GoldcrestException;
import io.goldcrest.filesystem.Compression;
import io.goldcrest.storage.TransferJob;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** v1's archive types for xfer-internal/extract: {@code type} as FirecREST v1 read it, {@code extension} as pyfirecrest sends it. */
class V1StorageRoutesTest {
    @Test
    void autoGoesByTheSourcesName() {
        Map<String, Compression> tars = Map.of("/d/a.tar", Compression.NONE, "/d/a.tar.gz", Compression.GZIP, "/d/a.TGZ", Compression.GZIP,
                "/d/a.gz", Compression.GZIP, "/d/a.tar.bz2", Compression.BZIP2, "/d/a.tbz2", Compression.BZIP2, "/d/a.tar.xz", Compression.XZ);
        tars.forEach((source, compression) ->
                assertThat(V1StorageRoutes.extraction(source, "/t", "auto")).isEqualTo(new TransferJob.Extract(source, "/t", compression)));
        assertThat(V1StorageRoutes.extraction("/d/a.zip", "/t", "auto")).isEqualTo(new TransferJob.Unzip("/d/a.zip", "/t"));
        assertThatThrownBy(() -> V1StorageRoutes.extraction("/d.zip/archive", "/t", "auto"))
                .isInstanceOf(GoldcrestException.class).hasMessage("Unsupported file format in /d.zip/archive.");
        assertThatThrownBy(() -> V1StorageRoutes.extraction("/d/a.rar", "/t", "auto"))
                .isInstanceOf(GoldcrestException.class).hasMessage("Unsupported file format in /d/a.rar.");
    }

    @Test
    void anExplicitTypeWinsOverTheName() {
        assertThat(V1StorageRoutes.extraction("/d/download", "/t", ".tar.gz")).isEqualTo(new TransferJob.Extract("/d/download", "/t", Compression.GZIP));
        assertThat(V1StorageRoutes.extraction("/d/a.tar", "/t", ".zip")).isEqualTo(new TransferJob.Unzip("/d/a.tar", "/t"));
        assertThat(V1StorageRoutes.extraction("/d/x", "/t", "bz2")).isEqualTo(new TransferJob.Extract("/d/x", "/t", Compression.BZIP2));
        assertThat(V1StorageRoutes.extraction("/d/x.tgz", "/t", " AUTO ")).isEqualTo(new TransferJob.Extract("/d/x.tgz", "/t", Compression.GZIP));
        assertThatThrownBy(() -> V1StorageRoutes.extraction("/d/x.tar", "/t", ".7z"))
                .isInstanceOf(GoldcrestException.class).hasMessage("Unsupported file format in /d/x.tar.");
    }
}
