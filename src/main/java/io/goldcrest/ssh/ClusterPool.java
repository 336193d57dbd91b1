package io.goldcrest.ssh;

import io.goldcrest.config.ClusterConfig;
import io.goldcrest.delegation.CredentialSource;
import io.goldcrest.delegation.SshIdentity;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.error.ThrottledException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH connections to one cluster: at most one per user, each carrying up to
 * {@code max_channels_per_connection} concurrent exec channels. A connection found closed is
 * replaced on next use; one idle longer than {@code idle_timeout} is closed by {@link #closeIdle}.
 */
final class ClusterPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterPool.class);
    /** The client side waits this much longer than the remote {@code timeout}, so exit 124 is normally seen. */
    private static final Duration CLIENT_GRACE = Duration.ofSeconds(1);

    private final ClusterConfig config;
    private final CredentialSource credentials;
    private final Clock clock;
    private final SshClient client;
    private final ConcurrentHashMap<String, Connection> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final RemoteOperationListener listener;
    private final int queuePerUser;

    /**
     * @param queuePerUser how many of one user's requests may wait for a channel here; more are
     *     refused at once ({@code goldcrest.gateway.ssh_queue_per_user})
     */
    ClusterPool(ClusterConfig config, HostKeyVerifier verifier, CredentialSource credentials, Clock clock,
                ScheduledExecutorService timer, RemoteOperationListener listener, int queuePerUser) {
        this.config = config;
        this.listener = listener;
        this.queuePerUser = queuePerUser;
        this.timer = timer;
        this.credentials = credentials;
        this.clock = clock;
        this.client = SshClient.setUpDefaultClient();
        // Without TCP_NODELAY every exec round trip stalls ~40 ms on Nagle + delayed ACK.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, config.ssh().timeout().keepAlive());
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        // Our own reaper closes idle connections; MINA's idle timeout must not beat it.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, config.ssh().timeout().idle().multipliedBy(4));
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(client, config.ssh().timeout().commandExecution());
        client.setServerKeyVerifier(verifier);
        client.start();
    }

    String clusterName() {
        return config.name();
    }

    int connectionCount() {
        return connections.size();
    }

    boolean isConnected(String username) {
        return connections.containsKey(username);
    }

    /** Channels open on the cluster: exec channels running plus the kept SFTP and agent channels. */
    int channelsOpen() {
        return connections.values().stream().mapToInt(Connection::channelsTaken).sum();
    }

    /** Every command, reported to the listener with its program name only (never its arguments). */
    <T> T run(String username, RemoteCommand<T> command) {
        Observation observation = observe(username, RemoteOperation.EXEC, command.name());
        return observation.around(() -> run(username, command, observation));
    }

    private Observation observe(String username, String kind, String name) {
        return new Observation(listener, config.name(), username, kind, name);
    }

    private <T> T run(String username, RemoteCommand<T> command, Observation observation) {
        Duration limit = command.timeLimit().orElse(config.ssh().timeout().commandExecution());
        Instant deadline = clock.instant().plus(limit).plus(CLIENT_GRACE);
        String commandLine = "timeout -k 2 " + limit.toSeconds() + " " + ShellQuoting.join(command.argv());
        Connection connection = checkOut(username);
        try {
            if (!acquire(connection, connection.channels, deadline)) {
                throw new GoldcrestException(ErrorCode.COMMAND_TIMEOUT,
                        "Command execution timeout limit exceeded (no free SSH channel within " + limit.toSeconds() + " s).");
            }
            try {
                CommandResult result = execute(connection, commandLine, command.stdin(), deadline);
                observation.exitStatus(result.exitStatus());
                if (result.exitStatus() == 124) {
                    throw new GoldcrestException(ErrorCode.COMMAND_TIMEOUT,
                            "Remote process failed with exit status:124 (time limit of " + limit.toSeconds() + " s exceeded)");
                }
                return command.parse(result);
            } finally {
                connection.channels.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GoldcrestException(ErrorCode.INTERNAL, "Interrupted while waiting for an SSH channel", e);
        } finally {
            checkIn(connection);
        }
    }

    /**
     * Runs file operations on one of the user's SFTP channels, lent to this call alone. A channel on
     * which nothing moved for {@code command_execution} is closed, failing the call with 408.
     */
    <T> T files(String username, Function<RemoteFiles, T> operation) {
        Observation observation = observe(username, RemoteOperation.SFTP, RemoteOperation.SFTP);
        return observation.around(() -> lend(username, connection -> connection.sftp, (client, stall) -> {
            RecordingFiles files = new RecordingFiles(new SftpFiles(client, stall));
            try {
                return operation.apply(files);
            } finally {
                observation.name(files.operations());
            }
        }));
    }

    /** Sends one request line to one of the user's running agents and returns its answer line. */
    String ask(String username, Agent agent, String request) {
        Duration limit = config.ssh().timeout().commandExecution();
        Observation observation = observe(username, RemoteOperation.AGENT, agent.name());
        return observation.around(() -> lend(username, connection -> connection.agents(agent, limit), (channel, stall) -> {
            try {
                return channel.ask(request);
            } catch (IOException e) {
                if (!stall.fired() && channel.ended()) {
                    String reason = channel.endReason();
                    LOG.info("cluster {}: agent {} of {} ended: {}", config.name(), agent.name(), username, reason);
                    throw new AgentException("The " + agent.name() + " agent ended (" + reason + ")");
                }
                throw e;
            }
        }));
    }

    /** What a request does with a lent channel; {@code stall} is told of progress and says if it fired. */
    @FunctionalInterface
    private interface Use<C, T> {
        T apply(C channel, Stall stall) throws IOException;
    }

    /**
     * Lends one of the user's kept channels to {@code use}. A channel on which nothing moved for
     * {@code command_execution} is closed, which fails the blocked call, and the request answers 408.
     */
    private <C, T> T lend(String username, Function<Connection, ChannelLender<C>> lenderOf, Use<C, T> use) {
        Duration limit = config.ssh().timeout().commandExecution();
        Instant deadline = clock.instant().plus(limit);
        Connection connection = checkOut(username);
        try {
            ChannelLender<C> lender = lenderOf.apply(connection);
            C channel = lender.borrow(connection, this, deadline);
            if (channel == null) {
                throw new GoldcrestException(ErrorCode.COMMAND_TIMEOUT,
                        "Command execution timeout limit exceeded (no free channel within " + limit.toSeconds() + " s).");
            }
            Stall stall = new Stall(timer, limit, () -> lender.close(channel));
            boolean reusable = false;
            try {
                T result = use.apply(channel, stall);
                reusable = true;
                return result;
            } catch (RemoteFileException refused) {
                // The server answered: the channel is fine.
                reusable = true;
                throw refused;
            } catch (IOException e) {
                if (stall.fired()) {
                    throw new GoldcrestException(ErrorCode.COMMAND_TIMEOUT, "Command execution timeout limit exceeded.");
                }
                throw channelFailure(e);
            } finally {
                stall.cancel();
                lender.giveBack(connection, channel, reusable && !stall.fired());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GoldcrestException(ErrorCode.INTERNAL, "Interrupted while waiting for a channel", e);
        } finally {
            checkIn(connection);
        }
    }

    /**
     * Takes one of {@code permits} (channels, or slots of a kind of channel) for a request of the
     * connection's user, waiting until the deadline. Waiting requests hold nothing on the cluster yet,
     * but each will run there: when {@code queuePerUser} of the user's requests already wait, this one
     * is refused at once (429), so a flood from one user cannot pile up work for the sshd and delay
     * the user's own requests until they all time out.
     *
     * @return false when no permit freed up before the deadline
     * @throws ThrottledException when the user's queue here is full
     */
    boolean acquire(Connection connection, Semaphore permits, Instant deadline) throws InterruptedException {
        // A zero wait keeps the semaphore's fairness (plain tryAcquire() would overtake those waiting).
        if (permits.tryAcquire(0, TimeUnit.MILLISECONDS)) {
            return true;
        }
        if (connection.waiting.incrementAndGet() > queuePerUser) {
            connection.waiting.decrementAndGet();
            throw new ThrottledException("Too many requests of user '" + connection.username + "' are waiting for an SSH channel on system '"
                    + config.name() + "' (at most " + queuePerUser + " may wait); retry in 1 s", 1);
        }
        try {
            return permits.tryAcquire(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } finally {
            connection.waiting.decrementAndGet();
        }
    }

    GoldcrestException channelFailure(Throwable cause) {
        return new ChannelOpenFailure(cause).toGoldcrest();
    }

    private Connection checkOut(String username) {
        return connections.compute(username, (user, existing) -> {
            Connection connection = existing;
            if (connection == null) {
                // Soft cap, as in FirecREST: one connection per user, so this bounds distinct users.
                if (connections.size() >= config.ssh().maxClients()) {
                    throw new GoldcrestException(ErrorCode.SSH_POOL_FULL, "SSH connection pool capacity exceeded");
                }
                connection = new Connection(user, config.maxChannelsPerConnection());
            }
            connection.inUse++;
            connection.lastUsed = clock.instant();
            return connection;
        });
    }

    private void checkIn(Connection connection) {
        connections.computeIfPresent(connection.username, (user, current) -> {
            if (current == connection) {
                current.inUse--;
                current.lastUsed = clock.instant();
            }
            return current;
        });
    }

    /** Opens a channel on the user's session; a session that broke since its last use is replaced once. */
    private CommandResult execute(Connection connection, String commandLine, byte[] input, Instant deadline) {
        ClientSession session = connection.session(this, deadline);
        try {
            return exec(session, commandLine, input, deadline);
        } catch (ChannelOpenFailure failure) {
            if (session.isOpen() && !session.isClosing()) {
                throw failure.toGoldcrest();
            }
            LOG.info("cluster {}: connection of {} broke, reconnecting", config.name(), connection.username);
            connection.discard(session);
            try {
                return exec(connection.session(this, deadline), commandLine, input, deadline);
            } catch (ChannelOpenFailure again) {
                throw again.toGoldcrest();
            }
        }
    }

    private CommandResult exec(ClientSession session, String commandLine, byte[] input, Instant deadline) {
        long cap = config.dataOperation().maxOpsFileSize();
        ChannelExec channel;
        try {
            channel = session.createExecChannel(commandLine);
        } catch (IOException e) {
            throw new ChannelOpenFailure(e);
        }
        BoundedOutputStream out = new BoundedOutputStream(cap, () -> channel.close(true));
        BoundedOutputStream err = new BoundedOutputStream(cap, () -> channel.close(true));
        channel.setOut(out);
        channel.setErr(err);
        try {
            OpenFuture opened = channel.open();
            if (!opened.await(remainingMillis(deadline))) {
                channel.close(true);
                throw timeout();
            }
            if (!opened.isOpened()) {
                throw new ChannelOpenFailure(opened.getException());
            }
            sendInput(channel, input);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remainingMillis(deadline));
            if (out.overflowed() || err.overflowed()) {
                throw new GoldcrestException(ErrorCode.OUTPUT_TOO_LARGE, "Command output exceeded buffer limit.");
            }
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                channel.close(true);
                throw timeout();
            }
            Integer status = channel.getExitStatus();
            if (status == null && (!session.isOpen() || session.isClosing())) {
                throw new GoldcrestException(ErrorCode.SSH_CONNECTION_FAILED, "SSH connection Reset.");
            }
            if (status == null) {
                String signal = channel.getExitSignal();
                throw new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED,
                        "Remote process ended without an exit status" + (signal == null ? "" : " (signal " + signal + ")"));
            }
            return new CommandResult(status, out.text(), err.text());
        } catch (IOException e) {
            channel.close(true);
            throw new ChannelOpenFailure(e);
        }
    }

    /**
     * The input (often none), then EOF at once, so a command that reads stdin cannot hang. A command
     * may end before or without reading it, which closes the channel under the write: that is not a
     * failure, the exit status tells what happened (and a broken channel leaves none).
     */
    private void sendInput(ChannelExec channel, byte[] input) {
        try (OutputStream stdin = channel.getInvertedIn()) {
            if (input.length > 0) {
                stdin.write(input);
            }
        } catch (IOException e) {
            LOG.debug("cluster {}: input not fully sent, the command ended first: {}", config.name(), e.toString());
        }
    }

    private static GoldcrestException timeout() {
        return new GoldcrestException(ErrorCode.COMMAND_TIMEOUT, "Command execution timeout limit exceeded.");
    }

    long remainingMillis(Instant deadline) {
        return Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
    }

    ClientSession connect(String username, Instant deadline) {
        SshIdentity identity = credentials.identityFor(username);
        ClientSession session = null;
        try {
            ConnectFuture future = client.connect(username, config.ssh().host(), config.ssh().port());
            if (!future.await(Math.min(config.ssh().timeout().connection().toMillis(), remainingMillis(deadline)))) {
                future.cancel();
                throw new GoldcrestException(ErrorCode.SSH_CONNECT_TIMEOUT, "SSH connection timeout limit exceeded.");
            }
            if (!future.isConnected()) {
                throw new GoldcrestException(ErrorCode.SSH_CONNECTION_FAILED, "Unable to establish SSH connection.", wrap(future.getException()));
            }
            session = future.getSession();
            session.addPublicKeyIdentity(identity.keyPair());
            var auth = session.auth();
            if (!auth.await(Math.min(config.ssh().timeout().login().toMillis(), remainingMillis(deadline)))) {
                throw new GoldcrestException(ErrorCode.SSH_CONNECT_TIMEOUT, "SSH connection timeout limit exceeded.");
            }
            if (!auth.isSuccess()) {
                if (Boolean.TRUE.equals(session.getAttribute(HostKeyVerifier.REJECTED))) {
                    throw new GoldcrestException(ErrorCode.SSH_HOST_KEY_REJECTED,
                            "Unable to establish SSH connection: the login node's host key is not the configured one.");
                }
                LOG.warn("cluster {}: SSH login of {} refused: {}", config.name(), username,
                        auth.getException() == null ? "no method left" : auth.getException().getMessage());
                throw new GoldcrestException(ErrorCode.SSH_AUTHENTICATION_FAILED,
                        "Unable to establish SSH connection: the login node refused the credentials of user " + username + ".");
            }
            return session;
        } catch (IOException e) {
            closeQuietly(session);
            throw new GoldcrestException(ErrorCode.SSH_CONNECTION_FAILED, "Unable to establish SSH connection.", wrap(e));
        } catch (GoldcrestException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /**
     * The cause for the caller's {@code causedBy}: what went wrong, without the host and port MINA's
     * messages carry (those go to the log only).
     */
    private static GoldcrestException wrap(Throwable cause) {
        LOG.warn("SSH failure: {}", cause == null ? "unknown cause" : cause.toString());
        return new GoldcrestException(ErrorCode.SSH_CONNECTION_FAILED, describe(cause));
    }

    /** MINA wraps socket errors (in ExecutionException, SshException): the innermost known one names the failure. */
    private static String describe(Throwable cause) {
        Throwable innermost = cause;
        for (Throwable current = cause; current != null; current = current.getCause()) {
            switch (current) {
                case java.net.ConnectException refused -> {
                    return "connection refused";
                }
                case java.net.UnknownHostException unknown -> {
                    return "unknown host";
                }
                case java.net.SocketTimeoutException timeout -> {
                    return "timed out";
                }
                default -> innermost = current;
            }
        }
        return innermost == null ? "unknown cause" : innermost.getClass().getSimpleName();
    }

    /**
     * Closes connections with no channel in use and idle since before {@code now - idle_timeout}.
     * Takes the time as a parameter so it can be tested without sleeping.
     *
     * @return how many connections were closed
     */
    int closeIdle(Instant now) {
        Instant cutoff = now.minus(config.ssh().timeout().idle());
        List<Connection> idle = new ArrayList<>();
        for (String user : connections.keySet()) {
            connections.computeIfPresent(user, (key, connection) -> {
                if (connection.inUse == 0 && connection.lastUsed.isBefore(cutoff)) {
                    idle.add(connection);
                    return null;
                }
                return connection;
            });
        }
        // Sockets are closed outside the map's locks.
        idle.forEach(Connection::close);
        return idle.size();
    }

    @Override
    public void close() {
        connections.values().forEach(Connection::close);
        connections.clear();
        client.stop();
    }

    static void closeQuietly(ClientSession session) {
        if (session != null) {
            session.close(true);
        }
    }

    /** A channel could not be opened; possibly because the session under it broke. */
    private static final class ChannelOpenFailure extends RuntimeException {
        ChannelOpenFailure(Throwable cause) {
            super(cause);
        }

        GoldcrestException toGoldcrest() {
            return new GoldcrestException(ErrorCode.SSH_CHANNEL_FAILED, "Unable to open a new SSH channel.",
                    wrap(getCause()));
        }
    }
}
