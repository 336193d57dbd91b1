package io.goldcrest.bench;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;

/**
 * The raw baselines of bench/run.sh: what Goldcrest's endpoints cost without HTTP, auth and JSON.
 * One MINA SSHD connection per user and {@code --clients} virtual threads in a closed loop, half for
 * each user, each doing {@code --op}:
 * <ul>
 *   <li>{@code id} ({@code /status/{system}/userinfo}), {@code exec-stat} ({@code ops/stat} over
 *       Goldcrest's exec path): the very command line Goldcrest's pool sends, over an exec
 *       channel, at most {@code --channels} concurrent channels per connection behind a fair
 *       semaphore, as Goldcrest's SSH pool does;</li>
 *   <li>{@code sftp-lstat} (the least a raw client can do for {@code ops/stat}) and {@code sftp-ls}
 *       ({@code ops/ls}: the SFTP round trips Goldcrest makes, lstat of the directory, openDir,
 *       readDir to the end, close, without the names extension whose answers Goldcrest caches):
 *       over {@code --sftp-channels} SFTP channels per connection, kept open and each lent to one
 *       request at a time behind a fair semaphore, as Goldcrest lends its pooled SFTP channels;</li>
 *   <li>{@code squeue}, {@code sacct} ({@code GET /compute/{system}/jobs}): the very squeue or sacct
 *       command line Goldcrest's SqueueCommand and SacctCommand make for a user's job list (the
 *       default 24-hour window), over exec channels as above; {@code squeue-sacct} runs both at once
 *       on two channels, as Goldcrest does for each list it does not take from its job cache.
 *       {@code --print-commands} prints each user's command lines and exits, so bench/run.sh can
 *       check them against Goldcrest's own classes.</li>
 * </ul>
 * {@code --path} names the file or directory, {@code {user}} standing for the user's name, or
 * {@code --paths} one per user, in the order of {@code --users}.
 *
 * <p>Latency runs from before the semaphore is acquired to the end of the operation, as a wrk
 * request's does. A request counts when it completes within the measured window (after the
 * warm-up), as wrk counts. Errors: a non-zero exit status or an SFTP error status, an answer that is
 * not what the operation expects (an {@code id} line, ten {@code stat} fields, a regular file,
 * {@code --expect-entries} directory entries, fewer than {@code --min-jobs} squeue lines or
 * {@code --min-sacct-lines} sacct lines with all their fields), or an exception.
 *
 * <p>{@code --window-command}, when given, is run with {@code sh -c} at the start and at the end of
 * the measured window (bench/run.sh counts Slurm's RPCs with it); its output is printed as
 * {@code WINDOW_START ...} and {@code WINDOW_END ...} lines on stdout.
 *
 * <p>Prints one machine-readable line on stdout:
 * {@code BASELINE op=O requests=N duration_s=S rps=R p50_us=U p99_us=U errors=N ...}; diagnostics go
 * to stderr.
 */
public final class SshBaseline {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Options options;
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong warmupErrors = new AtomicLong();
    private final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
    private volatile long measureStart;
    private volatile long measureEnd;
    private volatile long cpuNanos = -1;
    /** Busy and total jiffies of the whole machine over the measured window (/proc/stat), or -1. */
    private volatile long machineBusy = -1;
    private volatile long machineTotal = -1;

    /** The operations the baseline can repeat; each names Goldcrest's endpoint it stands for. */
    private enum Op {
        ID("exec id", "GET /status/{system}/userinfo"),
        EXEC_STAT("exec stat -c", "GET ops/stat over Goldcrest's exec path"),
        SFTP_LSTAT("sftp lstat", "GET ops/stat"),
        SFTP_LS("sftp lstat+opendir/readdir", "GET ops/ls, without the names extension (Goldcrest caches its answers)"),
        SQUEUE("exec squeue", "the squeue of GET /compute/{system}/jobs"),
        SACCT("exec sacct", "the sacct of GET /compute/{system}/jobs"),
        SQUEUE_SACCT("exec squeue + sacct at once", "GET /compute/{system}/jobs without Goldcrest's job cache");

        final String label;
        final String standsFor;

        Op(String label, String standsFor) {
            this.label = label;
            this.standsFor = standsFor;
        }

        boolean sftp() {
            return this == SFTP_LSTAT || this == SFTP_LS;
        }

        String option() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Op parse(String text) {
            for (Op op : values()) {
                if (op.option().equals(text)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("unknown --op " + text);
        }
    }

    /**
     * One user's connection: its exec channel limit, and its SFTP channels, kept open and lent to one
     * request at a time (idle ones last in, first out, as in Goldcrest's pool).
     */
    private record Session(String user, ClientSession session, Semaphore channels, String path, List<String> commandLines,
                           Semaphore sftpSlots, ConcurrentLinkedDeque<SftpClient> idleSftp) {}

    /** The second command of {@code squeue-sacct}, on its own virtual thread as in Goldcrest's SlurmScheduler. */
    private static final ExecutorService PARALLEL = Executors.newVirtualThreadPerTaskExecutor();

    private SshBaseline(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.printCommands) {
            // One line per user and command: USER TAB COMMAND-LINE.
            for (String user : options.users) {
                for (String line : commandLines(options, user, "")) {
                    System.out.println(user + "\t" + line);
                }
            }
            System.out.flush();
            System.exit(0);
        }
        new SshBaseline(options).run();
        // MINA's I/O threads are not daemons in every version; do not wait for them.
        System.exit(0);
    }

    private void run() throws Exception {
        PublicKey hostKey = PublicKeyEntry.parsePublicKeyEntry(Files.readString(options.hostKeyFile).trim())
                .resolvePublicKey(null, null, null);
        SshClient client = SshClient.setUpDefaultClient();
        // As in Goldcrest's pool: without TCP_NODELAY every exec round trip stalls on Nagle + delayed ACK.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.setServerKeyVerifier((session, remote, serverKey) -> {
            boolean same = KeyUtils.compareKeys(hostKey, serverKey);
            if (!same) {
                System.err.println("baseline: refused host key " + KeyUtils.getFingerPrint(serverKey) + " of " + remote);
            }
            return same;
        });
        client.start();
        try {
            for (String user : options.users) {
                sessions.put(user, login(client, user));
            }
            Session first = sessions.values().iterator().next();
            String what = options.op.sftp()
                    ? options.sftpChannels + " SFTP channels per connection: " + options.op.label + " " + first.path
                    : options.channels + " channels per connection: " + String.join(" & ", first.commandLines);
            System.err.printf(Locale.ROOT, "baseline %s (stands for %s): %d clients over %s, %s, %ds warm-up + %ds%n",
                    options.op.option(), options.op.standsFor, options.clients, options.users, what,
                    options.warmupSeconds, options.durationSeconds);

            long start = System.nanoTime();
            measureStart = start + options.warmupSeconds * NANOS_PER_SECOND;
            measureEnd = measureStart + options.durationSeconds * NANOS_PER_SECOND;
            List<Session> order = new ArrayList<>(sessions.values());
            // Each client writes only its own slot; join() makes the writes visible here.
            long[][] perClient = new long[options.clients][];
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < options.clients; i++) {
                Session session = order.get(i % order.size());
                int index = i;
                threads.add(Thread.ofVirtual().name("client-" + i)
                        .start(() -> perClient[index] = clientLoop(session).toArray()));
            }
            Thread cpu = Thread.ofPlatform().daemon().name("cpu-sampler").start(this::sampleCpu);
            long joinBy = measureEnd + (options.commandTimeout + 5L) * NANOS_PER_SECOND;
            for (Thread thread : threads) {
                long left = Math.max(1, (joinBy - System.nanoTime()) / 1_000_000);
                if (!thread.join(Duration.ofMillis(left))) {
                    System.err.println("baseline: " + thread.getName() + " did not finish in time");
                }
            }
            cpu.join(1000);
            report(perClient);
        } finally {
            for (Session s : sessions.values()) {
                for (SftpClient sftp : s.idleSftp) {
                    closeQuietly(sftp);
                }
                s.session.close(true);
            }
            client.stop();
        }
    }

    private Session login(SshClient client, String user) throws Exception {
        Path keyFile = options.keysDir.resolve(user);
        KeyPair pair;
        try (InputStream in = Files.newInputStream(keyFile)) {
            Iterator<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, () -> keyFile.toString(), in,
                    FilePasswordProvider.EMPTY).iterator();
            if (!pairs.hasNext()) {
                throw new IllegalStateException("no private key in " + keyFile);
            }
            pair = pairs.next();
        }
        ClientSession session = client.connect(user, options.host, options.port)
                .verify(Duration.ofSeconds(10)).getSession();
        session.addPublicKeyIdentity(pair);
        session.auth().verify(Duration.ofSeconds(10));
        String path = options.paths.isEmpty() ? options.path.replace("{user}", user)
                : options.paths.get(options.users.indexOf(user));
        Session opened = new Session(user, session, new Semaphore(options.channels, true), path,
                commandLines(options, user, path),
                new Semaphore(options.sftpChannels, true), new ConcurrentLinkedDeque<>());
        if (options.op.sftp()) {
            // Opened up front, so the warm-up measures no channel opening.
            for (int i = 0; i < options.sftpChannels; i++) {
                opened.idleSftp.add(openSftp(session));
            }
        }
        return opened;
    }

    /** The command lines one request runs (none for the SFTP operations). */
    private static List<String> commandLines(Options options, String user, String path) {
        return switch (options.op) {
            case ID -> List.of(command(options, "id"));
            // Goldcrest's StatCommand: coreutils in the C locale, the path after --.
            case EXEC_STAT -> List.of(command(options, "env", "LC_ALL=C", "stat", "-c", STAT_FORMAT, "--", path));
            case SQUEUE -> List.of(squeue(options, user));
            case SACCT -> List.of(sacct(options));
            case SQUEUE_SACCT -> List.of(squeue(options, user), sacct(options));
            case SFTP_LSTAT, SFTP_LS -> List.of();
        };
    }

    private static final String STAT_FORMAT = "%f %i %d %h %u %g %s %X %Y %Z";

    /** Slurm's field separator in Goldcrest's squeue and sacct answers (SlurmJobFields), the ASCII unit separator. */
    private static final String SEPARATOR = "\u001f";
    /** Goldcrest's SqueueCommand fields, each with the separator as its suffix. */
    private static final List<String> SQUEUE_FIELDS = List.of("JobID", "JobArrayID", "NumNodes", "Cluster", "GroupName",
            "Account", "Name", "NodeList", "Partition", "PriorityLong", "State", "Reason", "TimeUsed", "StartTime",
            "EndTime", "TimeLimit", "UserName", "WorkDir");
    /** Goldcrest's SacctCommand fields. */
    private static final List<String> SACCT_FIELDS = List.of("JobIDRaw", "JobID", "AllocNodes", "Cluster", "ExitCode",
            "Group", "Account", "JobName", "NodeList", "Partition", "Priority", "State", "Reason", "ElapsedRaw", "Start",
            "End", "Suspended", "TimelimitRaw", "User", "UID", "WorkDir");

    /** SqueueCommand.of(user, the default job query): the user's queued and running jobs. */
    private static String squeue(Options options, String user) {
        List<String> format = SQUEUE_FIELDS.stream().map(field -> field + ":" + SEPARATOR).toList();
        return command(options, "env", "SLURM_TIME_FORMAT=%s", "squeue", "--all", "--noheader", "--user=" + user,
                "--Format=" + String.join(",", format));
    }

    /** SacctCommand.of(the default job query): the calling user's jobs of the last 24 hours. */
    private static String sacct(Options options) {
        return command(options, "env", "SLURM_TIME_FORMAT=%s", "sacct", "--starttime=now-24hours", "--parsable",
                "--noheader", "--delimiter=" + SEPARATOR, "--format=" + String.join(",", SACCT_FIELDS));
    }

    /** {@code timeout -k 2 T 'arg' ...}, each argument single-quoted, as Goldcrest's pool and ShellQuoting build it. */
    private static String command(Options options, String... argv) {
        StringBuilder line = new StringBuilder("timeout -k 2 ").append(options.commandTimeout);
        for (String arg : argv) {
            line.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return line.toString();
    }

    private static SftpClient openSftp(ClientSession session) throws java.io.IOException {
        SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
        // As Goldcrest: names are taken as raw bytes (ISO-8859-1), not decoded as UTF-8.
        sftp.setNameDecodingCharset(StandardCharsets.ISO_8859_1);
        return sftp;
    }

    private static void closeQuietly(SftpClient sftp) {
        try {
            sftp.close();
        } catch (java.io.IOException e) {
            // closing a broken channel may fail; nothing to do
        }
    }

    /** Runs requests back to back until the measured window is over; returns the latencies (ns) counted. */
    private LongList clientLoop(Session session) {
        LongList latencies = new LongList();
        long timeoutMillis = (options.commandTimeout + 1L) * 1000;
        while (true) {
            long begin = System.nanoTime();
            if (begin >= measureEnd) {
                return latencies;
            }
            String failure = null;
            try {
                failure = options.op.sftp() ? sftp(session) : execLimited(session, timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return latencies;
            } catch (Exception e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            long end = System.nanoTime();
            boolean counted = end >= measureStart && end < measureEnd;
            if (failure != null) {
                (counted ? errors : warmupErrors).incrementAndGet();
                errorKinds.computeIfAbsent(failure, k -> new AtomicLong()).incrementAndGet();
            } else if (counted) {
                latencies.add(end - begin);
            }
        }
    }

    /** This JVM's CPU time over the measured window. */
    private void sampleCpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try {
            sleepUntil(measureStart);
            windowCommand("WINDOW_START");
            long before = os.getProcessCpuTime();
            long[] machineBefore = machineJiffies();
            sleepUntil(measureEnd);
            cpuNanos = os.getProcessCpuTime() - before;
            long[] machineAfter = machineJiffies();
            windowCommand("WINDOW_END");
            if (machineBefore != null && machineAfter != null) {
                machineBusy = machineAfter[0] - machineBefore[0];
                machineTotal = machineAfter[1] - machineBefore[1];
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs --window-command, if any, and prints its output after {@code tag} on stdout (one line). */
    private void windowCommand(String tag) throws InterruptedException {
        if (options.windowCommand.isEmpty()) {
            return;
        }
        try {
            Process process = new ProcessBuilder("sh", "-c", options.windowCommand)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            String line = tag + " " + output.strip().replace('\n', ' ');
            if (status != 0) {
                line = tag + " failed exit=" + status;
            }
            synchronized (System.out) {
                System.out.println(line);
                System.out.flush();
            }
        } catch (java.io.IOException e) {
            System.err.println("baseline: --window-command failed: " + e.getMessage());
        }
    }

    /** {busy, total} jiffies of all CPUs from the first line of /proc/stat (busy: all but idle and iowait), or null. */
    private static long[] machineJiffies() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).getFirst();
            String[] fields = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total - Long.parseLong(fields[4]) - Long.parseLong(fields[5]), total};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /** The request's command lines, the first on this thread, any other at once on its own virtual thread. */
    private String execLimited(Session session, long timeoutMillis) throws Exception {
        List<String> lines = session.commandLines;
        List<Future<String>> others = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            others.add(PARALLEL.submit(() -> execOne(session, line, timeoutMillis)));
        }
        String failure = execOne(session, lines.getFirst(), timeoutMillis);
        for (Future<String> other : others) {
            String otherFailure;
            try {
                otherFailure = other.get();
            } catch (ExecutionException e) {
                otherFailure = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            }
            failure = failure != null ? failure : otherFailure;
        }
        return failure;
    }

    /** One command on one of the connection's channels, as Goldcrest's pool runs each command. */
    private String execOne(Session session, String commandLine, long timeoutMillis) throws Exception {
        session.channels.acquire();
        try {
            return exec(session.session, commandLine, timeoutMillis);
        } finally {
            session.channels.release();
        }
    }

    /** One SFTP operation on a channel lent to this request alone; returns null on success, else what went wrong. */
    private String sftp(Session session) throws Exception {
        session.sftpSlots.acquire();
        SftpClient sftp = null;
        boolean reusable = false;
        try {
            sftp = session.idleSftp.pollFirst();
            if (sftp == null || !sftp.isOpen()) {
                if (sftp != null) {
                    closeQuietly(sftp);
                }
                sftp = openSftp(session.session);
            }
            String failure;
            try {
                failure = options.op == Op.SFTP_LSTAT ? lstat(sftp, session.path) : list(sftp, session.path);
            } catch (SftpException e) {
                failure = "SFTP status " + e.getStatus() + ": " + e.getMessage();
            }
            // The server answered: the channel is fine.
            reusable = true;
            return failure;
        } finally {
            if (sftp != null) {
                if (reusable) {
                    session.idleSftp.addFirst(sftp);
                } else {
                    closeQuietly(sftp);
                }
            }
            session.sftpSlots.release();
        }
    }

    private static String lstat(SftpClient sftp, String path) throws java.io.IOException {
        SftpClient.Attributes attributes = sftp.lstat(path);
        return attributes.isRegularFile() ? null : "not a regular file";
    }

    /** Goldcrest's SFTP round trips for a non-recursive ls: lstat of the path, then openDir/readDir to the end. */
    private String list(SftpClient sftp, String path) throws java.io.IOException {
        if (!sftp.lstat(path).isDirectory()) {
            return "not a directory";
        }
        int entries = 0;
        try (SftpClient.CloseableHandle handle = sftp.openDir(path)) {
            for (List<SftpClient.DirEntry> batch = sftp.readDir(handle); batch != null; batch = sftp.readDir(handle)) {
                for (SftpClient.DirEntry entry : batch) {
                    String name = entry.getFilename();
                    if (!name.equals(".") && !name.equals("..")) {
                        entries++;
                    }
                }
            }
        }
        return options.expectEntries < 0 || entries == options.expectEntries
                ? null : entries + " entries, expected " + options.expectEntries;
    }

    /** Returns null on success, else what went wrong. */
    private String exec(ClientSession session, String commandLine, long timeoutMillis) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChannelExec channel = session.createExecChannel(commandLine);
        try {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(Duration.ofMillis(timeoutMillis));
            // As Goldcrest does: no input, EOF at once.
            channel.getInvertedIn().close();
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeoutMillis);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                return "timeout waiting for the channel to close";
            }
            Integer status = channel.getExitStatus();
            if (status == null || status != 0) {
                return "exit status " + status + ": " + err.toString(StandardCharsets.UTF_8).strip();
            }
            String text = out.toString(StandardCharsets.UTF_8);
            if (options.op == Op.ID && !text.startsWith("uid=")) {
                return "not an id line";
            }
            if (options.op == Op.EXEC_STAT && text.strip().split(" ").length != 10) {
                return "not a stat line: " + text.strip();
            }
            if (commandLine.contains("'squeue'")) {
                return atLeast("squeue", text, SQUEUE_FIELDS.size(), options.minJobs);
            }
            if (commandLine.contains("'sacct'")) {
                return atLeast("sacct", text, SACCT_FIELDS.size(), options.minSacctLines);
            }
            return null;
        } finally {
            channel.close(true);
        }
    }

    /**
     * Null when the answer has at least {@code min} lines of {@code fields} fields, each ending with the
     * separator (Goldcrest's SlurmJobFields.split); Goldcrest skips other lines, so they are not errors.
     */
    private static String atLeast(String command, String text, int fields, int min) {
        long complete = text.lines().filter(line -> {
            String[] parts = line.split(SEPARATOR, -1);
            return parts.length == fields + 1 && parts[fields].isBlank();
        }).count();
        return complete >= min ? null : command + ": " + complete + " complete lines, expected at least " + min;
    }

    private void report(long[][] perClient) {
        int total = 0;
        for (long[] latencies : perClient) {
            total += latencies == null ? 0 : latencies.length;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] latencies : perClient) {
            if (latencies != null) {
                System.arraycopy(latencies, 0, all, at, latencies.length);
                at += latencies.length;
            }
        }
        Arrays.sort(all);
        double seconds = (double) (measureEnd - measureStart) / NANOS_PER_SECOND;
        long errorCount = errors.get();
        // wrk counts a request with a bad status as a request too.
        long requests = total + errorCount;
        if (!errorKinds.isEmpty()) {
            System.err.println("baseline: errors (" + errorCount + " in the window, " + warmupErrors.get() + " in the warm-up):");
            errorKinds.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get())).limit(10)
                    .forEach(e -> System.err.println("  " + e.getValue().get() + " x " + e.getKey()));
        }
        double cpuPerRequest = requests == 0 || cpuNanos < 0 ? 0 : cpuNanos / 1e6 / requests;
        // The rest of the machine: sshd, sftp-server and the commands, plus whatever else runs there.
        double machineMs = machineBusy < 0 ? -1 : machineBusy * 1000.0 / options.clkTck;
        double restPerRequest = requests == 0 || machineMs < 0 || cpuNanos < 0 ? 0 : Math.max(0, machineMs - cpuNanos / 1e6) / requests;
        double busyPercent = machineTotal <= 0 ? 0 : 100.0 * machineBusy / machineTotal;
        System.out.printf(Locale.ROOT, "BASELINE op=%s requests=%d duration_s=%.3f rps=%.1f p50_us=%d p99_us=%d max_us=%d errors=%d"
                + " client_cpu_ms_per_req=%.3f rest_cpu_ms_per_req=%.3f machine_busy_pct=%.0f%n",
                options.op.option(), requests, seconds, requests / seconds, percentile(all, 50) / 1000, percentile(all, 99) / 1000,
                all.length == 0 ? 0 : all[all.length - 1] / 1000, errorCount, cpuPerRequest, restPerRequest, busyPercent);
        System.out.flush();
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** A growable long[]: no boxing on the request path. */
    private static final class LongList {
        private long[] values = new long[256];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private record Options(String host, int port, Path hostKeyFile, Path keysDir, List<String> users, int clients,
            int channels, int durationSeconds, int warmupSeconds, int commandTimeout, Op op, String path,
            List<String> paths, int sftpChannels, int expectEntries, int clkTck, int minJobs, int minSacctLines,
            String windowCommand, boolean printCommands) {

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>(Map.of(
                    "host", "127.0.0.1", "port", "2222", "users", "alice,bob", "clients", "500", "channels", "64",
                    "duration", "30", "warmup", "5", "command-timeout", "5"));
            values.putAll(Map.of("op", "id", "expect-entries", "-1", "clk-tck", "100", "min-jobs", "0", "min-sacct-lines", "0",
                    "window-command", "", "print-commands", "false"));
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--") || i + 1 >= args.length) {
                    usage("bad argument " + arg);
                }
                values.put(arg.substring(2), args[++i]);
            }
            boolean printCommands = Boolean.parseBoolean(values.get("print-commands"));
            for (String required : printCommands ? List.<String>of() : List.of("host-key", "keys")) {
                if (!values.containsKey(required)) {
                    usage("--" + required + " is required");
                }
            }
            try {
                Op op = Op.parse(values.get("op"));
                boolean needsPath = op == Op.EXEC_STAT || op.sftp();
                if (needsPath && !values.containsKey("path") && !values.containsKey("paths")) {
                    usage("--op " + op.option() + " needs --path or --paths");
                }
                List<String> users = List.of(values.get("users").split(","));
                List<String> paths = values.containsKey("paths") ? List.of(values.get("paths").split(",")) : List.of();
                if (!paths.isEmpty() && paths.size() != users.size()) {
                    usage("--paths needs one path per user");
                }
                int channels = Integer.parseInt(values.get("channels"));
                // Goldcrest lends at most half of a connection's channels to SFTP.
                int sftpChannels = values.containsKey("sftp-channels")
                        ? Integer.parseInt(values.get("sftp-channels")) : Math.max(1, channels / 2);
                Options options = new Options(values.get("host"), Integer.parseInt(values.get("port")),
                        Path.of(values.getOrDefault("host-key", "")), Path.of(values.getOrDefault("keys", "")),
                        users, Integer.parseInt(values.get("clients")),
                        channels, Integer.parseInt(values.get("duration")),
                        Integer.parseInt(values.get("warmup")), Integer.parseInt(values.get("command-timeout")),
                        op, values.getOrDefault("path", ""), paths, sftpChannels, Integer.parseInt(values.get("expect-entries")),
                        Integer.parseInt(values.get("clk-tck")), Integer.parseInt(values.get("min-jobs")),
                        Integer.parseInt(values.get("min-sacct-lines")), values.get("window-command"), printCommands);
                if (options.clients < 1 || options.channels < 1 || options.sftpChannels < 1 || options.durationSeconds < 1
                        || options.warmupSeconds < 0 || options.clkTck < 1) {
                    usage("clients, channels, sftp-channels and duration must be positive, warm-up not negative");
                }
                return options;
            } catch (NumberFormatException e) {
                usage("not a number: " + e.getMessage());
                return null;
            } catch (IllegalArgumentException e) {
                usage(e.getMessage());
                return null;
            }
        }

        private static void usage(String problem) {
            System.err.println("SshBaseline: " + problem);
            System.err.println("usage: java -jar goldcrest-bench.jar --host-key HOST_KEY.pub --keys KEY_DIR [--host H] [--port P]"
                    + " [--users alice,bob] [--clients 500] [--channels 64] [--duration 30] [--warmup 5] [--command-timeout 5]"
                    + " [--op id|exec-stat|sftp-lstat|sftp-ls|squeue|sacct|squeue-sacct] [--path /home/{user}/... | --paths P1,P2]"
                    + " [--sftp-channels CHANNELS/2] [--expect-entries N] [--min-jobs N] [--min-sacct-lines N]"
                    + " [--window-command 'SHELL COMMAND'] [--clk-tck 100] [--print-commands true]");
            System.exit(2);
        }
    }
}
