package io.goldcrest.ssh;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;

/**
 * Notes which kinds of SFTP request one use of a channel made, to name the operation in the audit
 * log and metrics ({@code lstat+mkdir}): the method names only, never paths or data.
 */
final class RecordingFiles implements RemoteFiles {
    private final RemoteFiles files;
    /**
     * Sorted, so the same requests give the same name whatever order the data made them in;
     * concurrent, in case an operation hands the channel to helper threads.
     */
    private final Set<String> used = new ConcurrentSkipListSet<>();

    RecordingFiles(RemoteFiles files) {
        this.files = files;
    }

    /** The requests made, joined by {@code +}; {@code sftp} when none was. */
    String operations() {
        return used.isEmpty() ? RemoteOperation.SFTP : String.join("+", used);
    }

    @Override
    public FileAttributes lstat(String path) {
        used.add("lstat");
        return files.lstat(path);
    }

    @Override
    public FileAttributes stat(String path) {
        used.add("stat");
        return files.stat(path);
    }

    @Override
    public void list(String directory, Consumer<Entry> sink) {
        used.add("list");
        files.list(directory, sink);
    }

    @Override
    public String readLink(String path) {
        used.add("readlink");
        return files.readLink(path);
    }

    @Override
    public void mkdir(String path) {
        used.add("mkdir");
        files.mkdir(path);
    }

    @Override
    public void rmdir(String path) {
        used.add("rmdir");
        files.rmdir(path);
    }

    @Override
    public void remove(String path) {
        used.add("remove");
        files.remove(path);
    }

    @Override
    public void chmod(String path, int permissions) {
        used.add("chmod");
        files.chmod(path, permissions);
    }

    @Override
    public void symlink(String target, String linkPath) {
        used.add("symlink");
        files.symlink(target, linkPath);
    }

    @Override
    public long read(String path, long offset, long length, OutputStream sink) {
        used.add("read");
        return files.read(path, offset, length, sink);
    }

    @Override
    public long write(String path, InputStream source) {
        used.add("write");
        return files.write(path, source);
    }

    @Override
    public Names names(Set<Integer> uids, Set<Integer> gids) {
        used.add("names");
        return files.names(uids, gids);
    }
}
