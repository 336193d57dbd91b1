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

/**
 * The raw baseline of bench/run.sh: what Goldcrest's {@code /status/{system}/userinfo} costs without
 * HTTP, auth and JSON. One MINA SSHD connection per user, each carrying at most {@code --channels}
 * concurrent exec channels behind a fair semaphore (as Goldcrest's SSH pool does), and
 * {@code --clients} virtual threads in a closed loop, half for each user, running the very command
 * line Goldcrest's pool sends for {@code id}.
 *
 * <p>Latency runs from before the semaphore is acquired to the channel's close, as a wrk request's
 * does. A request counts when it completes within the measured window (after the warm-up), as wrk
 * counts. Errors: a non-zero exit status, output that is not an {@code id} line, or an exception.
 *
 * <p>Prints one machine-readable line on stdout:
 * {@code BASELINE requests=N duration_s=S rps=R p50_us=U p99_us=U errors=N}; diagnostics go to stderr.
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

    /** One user's connection with its channel limit. */
    private record Session(String user, ClientSession session, Semaphore channels) {}

    private SshBaseline(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
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
            String commandLine = "timeout -k 2 " + options.commandTimeout + " 'id'";
            System.err.printf(Locale.ROOT, "baseline: %d clients over %s, %d channels per connection, %ds warm-up + %ds: %s%n",
                    options.clients, options.users, options.channels, options.warmupSeconds, options.durationSeconds, commandLine);

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
                        .start(() -> perClient[index] = clientLoop(session, commandLine).toArray()));
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
            sessions.values().forEach(s -> s.session.close(true));
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
        return new Session(user, session, new Semaphore(options.channels, true));
    }

    /** Runs requests back to back until the measured window is over; returns the latencies (ns) counted. */
    private LongList clientLoop(Session session, String commandLine) {
        LongList latencies = new LongList();
        long timeoutMillis = (options.commandTimeout + 1L) * 1000;
        while (true) {
            long begin = System.nanoTime();
            if (begin >= measureEnd) {
                return latencies;
            }
            String failure = null;
            try {
                session.channels.acquire();
                try {
                    failure = exec(session.session, commandLine, timeoutMillis);
                } finally {
                    session.channels.release();
                }
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
            long before = os.getProcessCpuTime();
            sleepUntil(measureEnd);
            cpuNanos = os.getProcessCpuTime() - before;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /** Returns null on success, else what went wrong. */
    private static String exec(ClientSession session, String commandLine, long timeoutMillis) throws Exception {
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
            if (!out.toString(StandardCharsets.UTF_8).startsWith("uid=")) {
                return "not an id line";
            }
            return null;
        } finally {
            channel.close(true);
        }
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
        System.out.printf(Locale.ROOT, "BASELINE requests=%d duration_s=%.3f rps=%.1f p50_us=%d p99_us=%d max_us=%d errors=%d"
                + " client_cpu_ms_per_req=%.3f%n",
                requests, seconds, requests / seconds, percentile(all, 50) / 1000, percentile(all, 99) / 1000,
                all.length == 0 ? 0 : all[all.length - 1] / 1000, errorCount, cpuPerRequest);
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
            int channels, int durationSeconds, int warmupSeconds, int commandTimeout) {

        static Options parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>(Map.of(
                    "host", "127.0.0.1", "port", "2222", "users", "alice,bob", "clients", "500", "channels", "64",
                    "duration", "30", "warmup", "5", "command-timeout", "5"));
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("--") || i + 1 >= args.length) {
                    usage("bad argument " + arg);
                }
                values.put(arg.substring(2), args[++i]);
            }
            for (String required : List.of("host-key", "keys")) {
                if (!values.containsKey(required)) {
                    usage("--" + required + " is required");
                }
            }
            try {
                Options options = new Options(values.get("host"), Integer.parseInt(values.get("port")),
                        Path.of(values.get("host-key")), Path.of(values.get("keys")),
                        List.of(values.get("users").split(",")), Integer.parseInt(values.get("clients")),
                        Integer.parseInt(values.get("channels")), Integer.parseInt(values.get("duration")),
                        Integer.parseInt(values.get("warmup")), Integer.parseInt(values.get("command-timeout")));
                if (options.clients < 1 || options.channels < 1 || options.durationSeconds < 1 || options.warmupSeconds < 0) {
                    usage("clients, channels and duration must be positive, warm-up not negative");
                }
                return options;
            } catch (NumberFormatException e) {
                usage("not a number: " + e.getMessage());
                return null;
            }
        }

        private static void usage(String problem) {
            System.err.println("SshBaseline: " + problem);
            System.err.println("usage: java -jar goldcrest-bench.jar --host-key HOST_KEY.pub --keys KEY_DIR [--host H] [--port P]"
                    + " [--users alice,bob] [--clients 500] [--channels 64] [--duration 30] [--warmup 5] [--command-timeout 5]");
            System.exit(2);
        }
    }
}
