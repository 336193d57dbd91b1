package io.goldcrest.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    /**
     * SFTP channels are kept open between requests (opening one costs a round trip and a server
     * process) and each is lent to one request at a time. Idle ones keep their channel permit, so at
     * most {@code sftpSlots} of the connection's channels are SFTP and the rest stay free for exec.
     */
    private final Semaphore sftpSlots;
    private final ConcurrentLinkedDeque<SftpClient> idleSftp = new ConcurrentLinkedDeque<>();
    /** Serialises (re)connecting; a ReentrantLock because connecting blocks and must not pin a virtual thread. */
    private final ReentrantLock connectLock = new ReentrantLock();
    private volatile ClientSession session;
    int inUse;
    Instant lastUsed = Instant.EPOCH;

    Connection(String username, int maxChannels) {
        this.username = username;
        this.channels = new Semaphore(maxChannels, true);
        this.sftpSlots = new Semaphore(Math.max(1, maxChannels / 2), true);
    }

    /**
     * Lends an SFTP channel to the caller until {@link #returnSftp}; waits for a free slot until the
     * deadline.
     *
     * @return null when no slot freed up in time
     */
    SftpClient borrowSftp(ClusterPool pool, Instant deadline) throws InterruptedException {
        if (!sftpSlots.tryAcquire(pool.remainingMillis(deadline), TimeUnit.MILLISECONDS)) {
            return null;
        }
        try {
            for (SftpClient idle = idleSftp.pollFirst(); idle != null; idle = idleSftp.pollFirst()) {
                if (idle.isOpen() && usable(idle.getSession())) {
                    return idle;
                }
                dropSftp(idle);
            }
            if (!channels.tryAcquire(pool.remainingMillis(deadline), TimeUnit.MILLISECONDS)) {
                sftpSlots.release();
                return null;
            }
            try {
                return openSftp(pool, deadline);
            } catch (RuntimeException | Error e) {
                channels.release();
                throw e;
            }
        } catch (RuntimeException | Error | InterruptedException e) {
            sftpSlots.release();
            throw e;
        }
    }

    private SftpClient openSftp(ClusterPool pool, Instant deadline) {
        ClientSession current = session(pool, deadline);
        try {
            return configure(SftpClientFactory.instance().createSftpClient(current));
        } catch (IOException first) {
            if (usable(current)) {
                throw pool.channelFailure(first);
            }
            discard(current);
            try {
                return configure(SftpClientFactory.instance().createSftpClient(session(pool, deadline)));
            } catch (IOException again) {
                throw pool.channelFailure(again);
            }
        }
    }

    private static SftpClient configure(SftpClient client) {
        // Names travel as raw bytes; FileNames turns them into strings that keep every byte.
        client.setNameDecodingCharset(StandardCharsets.ISO_8859_1);
        return client;
    }

    /** Takes the channel back; one that failed or timed out is closed instead of reused. */
    void returnSftp(SftpClient client, boolean reusable) {
        if (reusable && client.isOpen()) {
            idleSftp.addFirst(client);
        } else {
            dropSftp(client);
        }
        sftpSlots.release();
    }

    private void dropSftp(SftpClient client) {
        try {
            client.close();
        } catch (IOException e) {
            // Closing a broken channel can fail; its permit is returned all the same.
        }
        channels.release();
    }

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

    private static boolean usable(ClientSession session) {
        return session != null && session.isOpen() && !session.isClosing();
    }
}
