package io.goldcrest.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * One user's pooled SSH connection. {@code inUse} and {@code lastUsed} are changed only inside the
 * pool map's compute functions, which serialise them per user.
 */
final class Connection {
    final String username;
    final Semaphore channels;
    private final int maxChannels;
    /** The user's requests waiting for a channel or a slot here (see {@link ClusterPool#acquire}). */
    final AtomicInteger waiting = new AtomicInteger();
    /** SFTP channels: at most half of the connection's channels. */
    final ChannelLender<SftpClient> sftp;
    /** Agent channels (see {@link Agent}): at most a quarter, per agent program. */
    private final ConcurrentHashMap<Agent, ChannelLender<AgentChannel>> agents = new ConcurrentHashMap<>();
    private final int agentSlots;
    /** Serialises (re)connecting; a ReentrantLock because connecting blocks and must not pin a virtual thread. */
    private final ReentrantLock connectLock = new ReentrantLock();
    private volatile ClientSession session;
    int inUse;
    Instant lastUsed = Instant.EPOCH;

    Connection(String username, int maxChannels) {
        this.username = username;
        this.channels = new Semaphore(maxChannels, true);
        this.maxChannels = maxChannels;
        this.sftp = new ChannelLender<>(SFTP, Math.max(1, maxChannels / 2));
        this.agentSlots = Math.max(1, maxChannels / 4);
    }

    /** Channel permits taken: exec channels running plus kept SFTP and agent channels (a gauge, not exact under races). */
    int channelsTaken() {
        return maxChannels - channels.availablePermits();
    }

    ChannelLender<AgentChannel> agents(Agent agent, Duration openTimeout) {
        return agents.computeIfAbsent(agent, key -> new ChannelLender<>(AgentChannel.kind(key, openTimeout), agentSlots));
    }

    private static final ChannelLender.Kind<SftpClient> SFTP = new ChannelLender.Kind<>() {
        @Override
        public SftpClient open(ClientSession session) throws IOException {
            SftpClient client = SftpClientFactory.instance().createSftpClient(session);
            // Names travel as raw bytes; FileNames turns them into strings that keep every byte.
            client.setNameDecodingCharset(StandardCharsets.ISO_8859_1);
            return client;
        }

        @Override
        public boolean usable(SftpClient client) {
            return client.isOpen() && Connection.usable(client.getSession());
        }

        @Override
        public void close(SftpClient client) {
            try {
                client.close();
            } catch (IOException e) {
                // Closing a broken channel can fail; its permit is returned all the same.
            }
        }
    };

    ClientSession session(ClusterPool pool, Instant deadline) {
        ClientSession current = session;
        if (usable(current)) {
            return current;
        }
        connectLock.lock();
        try {
            current = session;
            if (!usable(current)) {
                ClusterPool.closeQuietly(current);
                current = pool.connect(username, deadline);
                session = current;
            }
            return current;
        } finally {
            connectLock.unlock();
        }
    }

    /** Forgets a session found broken, unless another thread already replaced it. */
    void discard(ClientSession broken) {
        connectLock.lock();
        try {
            if (session == broken) {
                session = null;
            }
        } finally {
            connectLock.unlock();
        }
        ClusterPool.closeQuietly(broken);
    }

    void close() {
        ClusterPool.closeQuietly(session);
    }

    static boolean usable(ClientSession session) {
        return session != null && session.isOpen() && !session.isClosing();
    }
}
