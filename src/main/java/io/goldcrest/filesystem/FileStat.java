package io.goldcrest.filesystem;

/** {@code stat(2)} as FirecREST returns it: the full {@code st_mode}, times in epoch seconds. */
public record FileStat(long mode, long ino, long dev, long nlink, long uid, long gid, long size,
                       long atime, long mtime, long ctime) {
    /** The nine permission characters of {@code ls -l} and {@code chmod -v}, e.g. {@code rwsr-x---}. */
    public String permissions() {
        return FileModes.permissions((int) mode);
    }
}
