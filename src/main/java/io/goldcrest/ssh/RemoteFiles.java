package io.goldcrest.ssh;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * File operations over one of the user's pooled SFTP channels: no process is started on the
 * cluster. Paths and names are {@link FileNames} strings, so any byte sequence works. Every method
 * throws {@link RemoteFileException} when the server refuses the request.
 */
public interface RemoteFiles {
    FileAttributes lstat(String path);

    FileAttributes stat(String path);

    /** One directory entry, as {@code lstat} sees it. */
    record Entry(String name, FileAttributes attributes) {}

    /** Streams the entries of a directory, without {@code .} and {@code ..}, in the server's order. */
    void list(String directory, Consumer<Entry> sink);

    String readLink(String path);

    void mkdir(String path);

    void rmdir(String path);

    void remove(String path);

    /** Sets the permission bits only (owner and times unchanged). */
    void chmod(String path, int permissions);

    void symlink(String target, String linkPath);

    /**
     * Copies up to {@code length} bytes from {@code offset} into {@code sink}.
     *
     * @return the bytes copied; fewer than asked at the end of the file
     */
    long read(String path, long offset, long length, OutputStream sink);

    /** Creates or truncates {@code path} and writes all of {@code source} to it. */
    long write(String path, InputStream source);

    /** User and group names for numeric ids; ids the cluster cannot name are absent. */
    record Names(Map<Integer, String> users, Map<Integer, String> groups) {}

    /** @throws RemoteFileException {@code UNSUPPORTED} when the server has no id-to-name extension */
    Names names(Set<Integer> uids, Set<Integer> gids);
}
