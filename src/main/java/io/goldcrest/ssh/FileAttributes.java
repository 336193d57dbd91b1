package io.goldcrest.ssh;

/**
 * What SFTP (protocol version 3, as OpenSSH speaks it) tells about a file.
 *
 * @param mode the full {@code st_mode}: file type bits and permissions
 * @param accessTime seconds since the epoch
 * @param modifyTime seconds since the epoch
 */
public record FileAttributes(long size, int uid, int gid, int mode, long accessTime, long modifyTime) {
    public static final int TYPE_MASK = 0170000;
    public static final int DIRECTORY = 0040000;
    public static final int SYMLINK = 0120000;
    public static final int REGULAR = 0100000;

    public boolean isDirectory() {
        return (mode & TYPE_MASK) == DIRECTORY;
    }

    public boolean isSymlink() {
        return (mode & TYPE_MASK) == SYMLINK;
    }

    public boolean isRegularFile() {
        return (mode & TYPE_MASK) == REGULAR;
    }
}
