package io.goldcrest.api.v1;

import io.goldcrest.filesystem.Compression;
import java.util.Locale;
import java.util.Optional;

/**
 * The archive kinds {@code /utilities/extract} unpacks, told by a file name's ending as v1 does
 * ({@code .zip}, {@code .tar}, {@code .tgz}/{@code .gz}, {@code .bz2}) and by the xz endings v1 lacks.
 */
enum V1Archive {
    ZIP, TAR, GZIP, BZIP2, XZ;

    /**
     * The kind a request names: v1's {@code type} or pyfirecrest's {@code extension} ({@code .zip},
     * {@code tar.gz}...), or with {@code auto} the source's own ending.
     *
     * @return empty for anything else (v1's "Unsupported file format")
     */
    static Optional<V1Archive> of(String requested, String sourcePath) {
        String wanted = requested.strip().toLowerCase(Locale.ROOT);
        if (wanted.isEmpty() || wanted.equals("auto")) {
            return byName(sourcePath.toLowerCase(Locale.ROOT));
        }
        return byName(wanted.startsWith(".") ? wanted : "." + wanted);
    }

    private static Optional<V1Archive> byName(String name) {
        if (name.endsWith(".zip")) {
            return Optional.of(ZIP);
        }
        if (name.endsWith(".tar")) {
            return Optional.of(TAR);
        }
        if (name.endsWith(".tgz") || name.endsWith(".gz")) {
            return Optional.of(GZIP);
        }
        if (name.endsWith(".bz2") || name.endsWith(".tbz2") || name.endsWith(".tbz")) {
            return Optional.of(BZIP2);
        }
        if (name.endsWith(".xz") || name.endsWith(".txz")) {
            return Optional.of(XZ);
        }
        return Optional.empty();
    }

    /** tar's compression for the tar kinds; empty for ZIP, which unzip reads. */
    Optional<Compression> compression() {
        return switch (this) {
            case ZIP -> Optional.empty();
            case TAR -> Optional.of(Compression.NONE);
            case GZIP -> Optional.of(Compression.GZIP);
            case BZIP2 -> Optional.of(Compression.BZIP2);
            case XZ -> Optional.of(Compression.XZ);
        };
    }
}
