package io.goldcrest.ssh;

import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.session.ClientSession;

/**
 * One user's pooled SSH connection. {@code inUse} and {@code lastUsed} are changed only inside the
 * pool map's compute functions, which serialise them per user.
 */
final class Connection {
    final String username;
    final Semaphore channels;
    /** Serialises (re)connecting; a ReentrantLock because connecting blocks and must not pin a virtual thread. */
    private final ReentrantLock connectLock = new ReentrantLock();
    private volatile ClientSession session;
    int inUse;
    Instant lastUsed = Instant.EPOCH;

    Connection(String username, int maxChannels) {
        this.username = username;
        this.channels = new Semaphore(maxChannels, true);
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
