package io.goldcrest.filesystem;

import io.goldcrest.config.ClusterConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.AgentException;
import io.goldcrest.ssh.CommandRunner;
import io.goldcrest.ssh.FileAttributes;
import io.goldcrest.ssh.FileNames;
import io.goldcrest.ssh.RemoteFileException;
import io.goldcrest.ssh.RemoteFiles;
import io.goldcrest.ssh.SshPool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * FirecREST's synchronous file operations, as the token's user. Operations that need no process
 * on the cluster go over the user's pooled SFTP channels; the rest (and the cases SFTP cannot
 * answer exactly as the coreutils command would) run the command FirecREST runs.
 */
public final class FilesystemService {
    private final SshPool pool;
    private final Clock clock;
    private final Map<String, ClusterFacts> facts = new ConcurrentHashMap<>();

    public FilesystemService(SshPool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    /**
     * FirecREST's path rules: present, absolute, and (when file systems are configured) equal to
     * or under one of them after normalisation. Symbolic links are not resolved: Unix rights decide.
     *
     * @param path null when the request had none
     * @return the configured file system holding the path (the deepest match), for health gating
     * @throws GoldcrestException {@code INVALID_PARAMETER} with FirecREST's message
     */
    public Optional<ClusterConfig.FileSystem> checkPath(ClusterConfig cluster, String path) {
        if (path == null) {
            throw invalid("All filesystem requests require a path or source_path parameter.");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == 0 || (Character.isSurrogate(c) && !FileNames.isEscapedByteAt(path, i) && !pairedSurrogate(path, i))) {
                throw invalid("The provided path (" + path + ") is not a valid path: it contains a NUL or an unpaired surrogate.");
            }
        }
        if (!path.startsWith("/")) {
            throw invalid("The provided path (" + path + ") is not an absolute path.");
        }
        if (cluster.fileSystems().isEmpty()) {
            return Optional.empty();
        }
        String normal = RemotePaths.normalize(path);
        return Optional.of(cluster.fileSystems().stream()
                .filter(fileSystem -> RemotePaths.isUnder(normal, fileSystem.path()))
                .max(Comparator.comparingInt(fileSystem -> RemotePaths.normalize(fileSystem.path()).length()))
                .orElseThrow(() -> invalid("The provided path (" + path + ") does not match any of the defined filesystem paths"
                        + " for the requested system (" + cluster.name() + ").")));
    }

    private static boolean pairedSurrogate(String text, int index) {
        char c = text.charAt(index);
        if (Character.isHighSurrogate(c)) {
            return index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1));
        }
        return index > 0 && Character.isHighSurrogate(text.charAt(index - 1));
    }

    private static GoldcrestException invalid(String message) {
        return new GoldcrestException(ErrorCode.INVALID_PARAMETER, message);
    }

    private CommandRunner runner(ClusterConfig cluster, String user) {
        return pool.runner(cluster.name(), user);
    }

    private ClusterFacts facts(ClusterConfig cluster) {
        return facts.computeIfAbsent(cluster.name(), name -> new ClusterFacts(name, clock));
    }

    // ---------------------------------------------------------------- ls

    /**
     * {@code ls -l} of a directory (its entries) or of anything else (the object itself, named as
     * given). Recursive listings run {@code ls -R}; everything else is read over SFTP.
     */
    public List<FileEntry> list(ClusterConfig cluster, String user, String path, ListOptions options) {
        CommandRunner runner = runner(cluster, user);
        if (options.recursive()) {
            return withinLimit(cluster, path, runner.run(new LsCommand(path, options.asLs())));
        }
        ClusterFacts clusterFacts = facts(cluster);
        Optional<List<FileEntry>> listed = runner.files(files -> listOverSftp(files, clusterFacts, cluster, path, options));
        return listed.orElseGet(() -> withinLimit(cluster, path, runner.run(new LsCommand(path, options.asLs()))));
    }

    private static List<FileEntry> withinLimit(ClusterConfig cluster, String path, List<FileEntry> entries) {
        if (entries.size() > cluster.maxListEntries()) {
            throw tooManyEntries(cluster, path);
        }
        return entries;
    }

    private static GoldcrestException tooManyEntries(ClusterConfig cluster, String path) {
        return new GoldcrestException(ErrorCode.OUTPUT_TOO_LARGE, "The directory " + path + " has more than "
                + cluster.maxListEntries() + " entries, the limit set by clusters[].goldcrest.max_list_entries for "
                + cluster.name() + ".");
    }

    /** @return empty when only {@code ls} can answer exactly (broken links under -L, no id names) */
    private Optional<List<FileEntry>> listOverSftp(RemoteFiles files, ClusterFacts clusterFacts, ClusterConfig cluster,
                                                   String path, ListOptions options) {
        FileAttributes top;
        try {
            top = files.lstat(path);
            if (top.isSymlink() && options.dereference()) {
                top = files.stat(path);
            }
        } catch (RemoteFileException e) {
            if (options.dereference() && e.reason() == RemoteFileException.Reason.NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw Failures.sftp(2, "ls: cannot access", path, e, e.getMessage());
        }
        if (!top.isDirectory()) {
            return single(files, clusterFacts, path, top, options.numericUid()).map(List::of);
        }
        List<Listed> entries = new ArrayList<>();
        int limit = cluster.maxListEntries();
        try {
            files.list(path, entry -> {
                if (!options.showHidden() && entry.name().startsWith(".")) {
                    return;
                }
                if (entries.size() >= limit) {
                    throw tooManyEntries(cluster, path);
                }
                entries.add(new Listed(FileNames.toBytes(entry.name()), entry.name(), entry.attributes()));
            });
        } catch (RemoteFileException e) {
            throw Failures.sftp(2, "ls: cannot open directory", path, e, e.getMessage());
        }
        Set<Integer> uids = new HashSet<>();
        Set<Integer> gids = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            Listed listed = entries.get(i);
            if (options.dereference() && listed.attributes.isSymlink()) {
                try {
                    entries.set(i, new Listed(listed.sortKey, listed.name, files.stat(RemotePaths.join(path, listed.name))));
                } catch (RemoteFileException e) {
                    return Optional.empty();
                }
            }
            uids.add(entries.get(i).attributes.uid());
            gids.add(entries.get(i).attributes.gid());
        }
        if (!options.numericUid() && !clusterFacts.learnNames(files, uids, gids)) {
            return Optional.empty();
        }
        // ls sorts bytewise in the C locale, which the exec path uses too.
        entries.sort((a, b) -> Arrays.compareUnsigned(a.sortKey, b.sortKey));
        List<Optional<String>> targets = new ArrayList<>(entries.size());
        for (Listed listed : entries) {
            targets.add(listed.attributes.isSymlink() ? Optional.of(files.readLink(RemotePaths.join(path, listed.name))) : Optional.empty());
        }
        clusterFacts.learnZone(files);
        boolean numeric = options.numericUid();
        // Entries become FileEntry objects only while the answer is written, so the listing holds
        // little more than names and attributes.
        return Optional.of(new AbstractList<>() {
            @Override
            public FileEntry get(int index) {
                Listed listed = entries.get(index);
                return entry(clusterFacts, listed.name, listed.attributes, targets.get(index), numeric);
            }

            @Override
            public int size() {
                return entries.size();
            }
        });
    }

    private record Listed(byte[] sortKey, String name, FileAttributes attributes) {}

    /** Needs the cluster's zone learnt ({@link ClusterFacts#learnZone}) and, unless numeric, the names. */
    private static FileEntry entry(ClusterFacts clusterFacts, String name, FileAttributes attributes,
                                   Optional<String> target, boolean numeric) {
        return new FileEntry(name, FileModes.type(attributes.mode()), target,
                numeric ? Integer.toUnsignedString(attributes.uid()) : clusterFacts.user(attributes.uid()),
                numeric ? Integer.toUnsignedString(attributes.gid()) : clusterFacts.group(attributes.gid()),
                FileModes.permissions(attributes.mode()), clusterFacts.time(attributes.modifyTime()),
                Long.toString(attributes.size()));
    }

    /** One object named as given; empty when the server cannot name its owner (then {@code ls} answers). */
    private static Optional<FileEntry> single(RemoteFiles files, ClusterFacts clusterFacts, String path,
                                              FileAttributes attributes, boolean numeric) {
        if (!numeric && !clusterFacts.learnNames(files, Set.of(attributes.uid()), Set.of(attributes.gid()))) {
            return Optional.empty();
        }
        clusterFacts.learnZone(files);
        Optional<String> target = attributes.isSymlink() ? Optional.of(files.readLink(path)) : Optional.empty();
        return Optional.of(entry(clusterFacts, path, attributes, target, numeric));
    }

    /**
     * Applies {@code change} and answers {@code ls -ld PATH} of the result, as chmod, chown, mkdir
     * and symlink do, on one SFTP channel.
     */
    private FileEntry changeAndDescribe(ClusterConfig cluster, CommandRunner runner, String path, Consumer<RemoteFiles> change) {
        ClusterFacts clusterFacts = facts(cluster);
        Optional<FileEntry> described = runner.files(files -> {
            change.accept(files);
            FileAttributes attributes;
            try {
                attributes = files.lstat(path);
            } catch (RemoteFileException e) {
                throw Failures.sftp(2, "ls: cannot access", path, e, e.getMessage());
            }
            return single(files, clusterFacts, path, attributes, false);
        });
        return described.orElseGet(() -> runner.run(new LsCommand(path, LsCommand.Options.SINGLE)).getFirst());
    }

    // ---------------------------------------------------------------- reading

    public Content head(ClusterConfig cluster, String user, String path, boolean bytes, long count, boolean skipTrailing) {
        return runner(cluster, user).run(new HeadCommand(path, bytes, count, skipTrailing));
    }

    public Content tail(ClusterConfig cluster, String user, String path, boolean bytes, long count, boolean skipHeading) {
        return runner(cluster, user).run(new TailCommand(path, bytes, count, skipHeading));
    }

    /** {@code size} bytes from {@code offset}, decoded as UTF-8 (bad bytes replaced). */
    public String view(ClusterConfig cluster, String user, String path, long offset, long size) {
        CommandRunner runner = runner(cluster, user);
        Optional<String> text = runner.files(files -> {
            FileAttributes attributes = statForReading(files, path, "dd: failed to open");
            if (!attributes.isRegularFile()) {
                return Optional.empty();
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream((int) Math.min(size, Math.max(0, attributes.size() - offset)) + 16);
            readOrFail(files, path, offset, size, content, "dd: failed to open");
            return Optional.of(content.toString(StandardCharsets.UTF_8));
        });
        // A FIFO or device would block the SFTP server; dd runs under the remote timeout instead.
        return text.orElseGet(() -> runner.run(new DdCommand(path, offset, size)));
    }

    private static FileAttributes statForReading(RemoteFiles files, String path, String what) {
        try {
            return files.stat(path);
        } catch (RemoteFileException e) {
            throw Failures.sftp(1, what, path, e, e.getMessage());
        }
    }

    private static long readOrFail(RemoteFiles files, String path, long offset, long length, OutputStream sink, String what) {
        try {
            return files.read(path, offset, length, sink);
        } catch (RemoteFileException e) {
            throw Failures.sftp(1, what, path, e, e.getMessage());
        }
    }

    public String checksum(ClusterConfig cluster, String user, String path) {
        return runner(cluster, user).run(new ChecksumCommand(path));
    }

    public String fileType(ClusterConfig cluster, String user, String path) {
        return runner(cluster, user).run(new FileTypeCommand(path));
    }

    /** {@code stat(2)} through the user's stat agent, or the stat command where it cannot run. */
    public FileStat stat(ClusterConfig cluster, String user, String path, boolean dereference) {
        CommandRunner runner = runner(cluster, user);
        ClusterFacts clusterFacts = facts(cluster);
        if (clusterFacts.agentUsable()) {
            try {
                return StatAgent.parse(runner.ask(StatAgent.AGENT, StatAgent.request(path, dereference)), path);
            } catch (AgentException e) {
                clusterFacts.agentFailed();
            }
        }
        return runner.run(new StatCommand(path, dereference));
    }

    /** Where a download's bytes go; opened once the file is known to be sendable. */
    @FunctionalInterface
    public interface DownloadSink {
        OutputStream open(long size) throws IOException;
    }

    /**
     * Streams a file of at most {@code max_ops_file_size} bytes.
     *
     * @throws GoldcrestException {@code FILE_TOO_LARGE} before anything is sent
     */
    public void download(ClusterConfig cluster, String user, String path, DownloadSink sink) {
        long limit = cluster.dataOperation().maxOpsFileSize();
        CommandRunner runner = runner(cluster, user);
        boolean sent = runner.files(files -> {
            FileAttributes attributes = statForReading(files, path, "base64:");
            if (!attributes.isRegularFile()) {
                return false;
            }
            if (attributes.size() > limit) {
                throw tooLarge("File to download is too large.");
            }
            readOrFail(files, path, 0, attributes.size(), open(sink, attributes.size()), "base64:");
            return true;
        });
        if (!sent) {
            byte[] content = runner.run(new Base64Command(path));
            if (content.length > limit) {
                throw tooLarge("File to download is too large.");
            }
            try {
                open(sink, content.length).write(content);
            } catch (IOException e) {
                throw new GoldcrestException(ErrorCode.INTERNAL, "The client went away during the download", e);
            }
        }
    }

    private static OutputStream open(DownloadSink sink, long size) {
        try {
            return sink.open(size);
        } catch (IOException e) {
            throw new GoldcrestException(ErrorCode.INTERNAL, "The client went away during the download", e);
        }
    }

    private static GoldcrestException tooLarge(String message) {
        return new GoldcrestException(ErrorCode.FILE_TOO_LARGE, message);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes {@code directory/fileName}, replacing an existing file, streaming from {@code content}.
     *
     * @param size the upload's size, checked against {@code max_ops_file_size} before anything is written
     */
    public void upload(ClusterConfig cluster, String user, String directory, String fileName, long size, InputStream content) {
        if (fileName.isEmpty() || fileName.equals(".") || fileName.equals("..") || fileName.contains("/") || fileName.indexOf(0) >= 0) {
            throw invalid("The uploaded file's name (" + fileName + ") must be a plain file name.");
        }
        if (size > cluster.dataOperation().maxOpsFileSize()) {
            throw tooLarge("File to upload is too large.");
        }
        String target = RemotePaths.join(directory, fileName);
        runner(cluster, user).files(files -> {
            try {
                return files.write(target, content);
            } catch (RemoteFileException e) {
                throw Failures.sftp(1, "upload: cannot create", target, e, e.getMessage());
            }
        });
    }

    public FileEntry chmod(ClusterConfig cluster, String user, String path, String mode) {
        if (!FileModes.isValid(mode)) {
            throw invalid("Invalid mode (" + mode + "): give octal digits such as 755 or a symbolic mode such as u+x,g-w.");
        }
        CommandRunner runner = runner(cluster, user);
        int octal = FileModes.octal(mode);
        if (octal < 0) {
            runner.run(new ChmodCommand(path, mode));
            return changeAndDescribe(cluster, runner, path, files -> { });
        }
        return changeAndDescribe(cluster, runner, path, files -> {
            try {
                FileAttributes current = files.stat(path);
                int permissions = octal;
                // chmod(1) keeps a directory's setuid/setgid bits unless the mode names them.
                if (current.isDirectory() && (octal & 07000) == 0) {
                    permissions |= current.mode() & 06000;
                }
                files.chmod(path, permissions);
            } catch (RemoteFileException e) {
                throw e.reason() == RemoteFileException.Reason.NO_SUCH_FILE
                        ? Failures.sftp(1, "chmod: cannot access", path, e, e.getMessage())
                        : Failures.sftp(1, "chmod: changing permissions of", path, e, e.getMessage());
            }
        });
    }

    public FileEntry chown(ClusterConfig cluster, String user, String path, String owner, String group) {
        for (String name : List.of(owner, group)) {
            if (!name.isEmpty() && !name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")) {
                throw invalid("Invalid user or group name (" + name + ").");
            }
        }
        CommandRunner runner = runner(cluster, user);
        runner.run(new ChownCommand(path, owner, group));
        return changeAndDescribe(cluster, runner, path, files -> { });
    }

    /** {@code mkdir}, or with {@code parents} {@code mkdir -p}. */
    public FileEntry mkdir(ClusterConfig cluster, String user, String path, boolean parents) {
        return changeAndDescribe(cluster, runner(cluster, user), path, files -> makeDirectory(files, path, parents));
    }

    private static void makeDirectory(RemoteFiles files, String path, boolean parents) {
        try {
            files.mkdir(path);
            return;
        } catch (RemoteFileException e) {
            if (e.reason() == RemoteFileException.Reason.NO_SUCH_FILE && parents) {
                String parent = RemotePaths.split(path)[0];
                if (!parent.equals(path)) {
                    makeDirectory(files, parent, true);
                    makeDirectory(files, path, false);
                    return;
                }
            }
            if (e.reason() != RemoteFileException.Reason.FAILURE) {
                throw Failures.sftp(1, "mkdir: cannot create directory", path, e, e.getMessage());
            }
            Optional<FileAttributes> existing = statIfExists(files, path);
            if (existing.isPresent() && existing.get().isDirectory() && parents) {
                return;
            }
            throw Failures.sftp(1, "mkdir: cannot create directory", path, e,
                    existing.isPresent() ? "File exists" : "Not a directory");
        }
    }

    private static Optional<FileAttributes> statIfExists(RemoteFiles files, String path) {
        try {
            return Optional.of(files.stat(path));
        } catch (RemoteFileException e) {
            try {
                // A dangling symlink exists too.
                return Optional.of(files.lstat(path));
            } catch (RemoteFileException again) {
                return Optional.empty();
            }
        }
    }

    /** {@code ln -s target linkPath}: answers with the new link. */
    public FileEntry symlink(ClusterConfig cluster, String user, String target, String linkPath) {
        return changeAndDescribe(cluster, runner(cluster, user), linkPath, files -> {
            try {
                files.symlink(target, linkPath);
            } catch (RemoteFileException e) {
                String reason = e.reason() == RemoteFileException.Reason.FAILURE && statIfExists(files, linkPath).isPresent()
                        ? "File exists" : e.getMessage();
                throw Failures.sftp(1, "ln: failed to create symbolic link", linkPath, e, reason);
            }
        });
    }

    /** {@code rm -r}: files, links and empty directories over SFTP, directory trees with rm. */
    public void remove(ClusterConfig cluster, String user, String path) {
        CommandRunner runner = runner(cluster, user);
        boolean removed = runner.files(files -> {
            try {
                FileAttributes attributes = files.lstat(path);
                if (!attributes.isDirectory()) {
                    files.remove(path);
                    return true;
                }
                files.rmdir(path);
                return true;
            } catch (RemoteFileException e) {
                if (e.reason() == RemoteFileException.Reason.FAILURE) {
                    return false;
                }
                throw Failures.sftp(1, "rm: cannot remove", path, e, e.getMessage());
            }
        });
        if (!removed) {
            runner.run(new RemoveCommand(path));
        }
    }

    public void compress(ClusterConfig cluster, String user, String path, String targetPath, Optional<String> matchPattern,
                         boolean dereference, Compression compression) {
        runner(cluster, user).run(new CompressCommand(path, targetPath, matchPattern, dereference, compression));
    }

    public void extract(ClusterConfig cluster, String user, String path, String targetPath, Compression compression) {
        runner(cluster, user).run(new ExtractCommand(path, targetPath, compression));
    }

    /** {@code unzip -o} of a ZIP archive into {@code targetPath} (created if missing). Paths were checked. */
    public void unzip(ClusterConfig cluster, String user, String path, String targetPath) {
        runner(cluster, user).run(new UnzipCommand(path, targetPath));
    }

    /** {@code mv --force}: replaces whatever is at {@code targetPath}, or moves into it if it is a directory. */
    public void move(ClusterConfig cluster, String user, String sourcePath, String targetPath) {
        runner(cluster, user).run(new MoveCommand(sourcePath, targetPath));
    }

    /** {@code cp --force -dR --preserve=all}: a file or a whole tree, links kept as links. */
    public void copy(ClusterConfig cluster, String user, String sourcePath, String targetPath) {
        runner(cluster, user).run(new CopyCommand(sourcePath, targetPath));
    }
}
