package io.goldcrest.ssh;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import org.apache.sshd.client.session.ClientSession;

/**
 * Long-lived channels of one kind (SFTP, agents) on a user's connection, kept open between requests
 * (opening one costs round trips and a server process) and each lent to one request at a time. Idle
 * ones keep their channel permit, so at most {@code slots} of the connection's channels are of this
 * kind and the rest stay free for exec.
 *
 * @param <C> the channel's client-side handle
 */
final class ChannelLender<C> {
    /** How to open, check and close one kind of channel. */
    interface Kind<C> {
        C open(ClientSession session) throws IOException;

        boolean usable(C channel);

        void close(C channel);
    }

    private final Kind<C> kind;
    private final Semaphore slots;
    private final ConcurrentLinkedDeque<C> idle = new ConcurrentLinkedDeque<>();

    ChannelLender(Kind<C> kind, int slots) {
        this.kind = kind;
        this.slots = new Semaphore(slots, true);
    }

    /**
     * Lends a channel until {@link #giveBack}, waiting for a free slot until the deadline.
     *
     * @return null when no slot or channel permit freed up in time
     * @throws io.goldcrest.error.ThrottledException when too many of the user's requests wait already
     */
    C borrow(Connection connection, ClusterPool pool, Instant deadline) throws InterruptedException {
        if (!pool.acquire(connection, slots, deadline)) {
            return null;
        }
        try {
            for (C channel = idle.pollFirst(); channel != null; channel = idle.pollFirst()) {
                if (kind.usable(channel)) {
                    return channel;
                }
                drop(connection, channel);
            }
            if (!pool.acquire(connection, connection.channels, deadline)) {
                slots.release();
                return null;
            }
            try {
                return open(connection, pool, deadline);
            } catch (RuntimeException | Error e) {
                connection.channels.release();
                throw e;
            }
        } catch (RuntimeException | Error | InterruptedException e) {
            slots.release();
            throw e;
        }
    }

    /** Opens on the user's session; a session that broke since its last use is replaced once. */
    private C open(Connection connection, ClusterPool pool, Instant deadline) {
        ClientSession current = connection.session(pool, deadline);
        try {
            return kind.open(current);
        } catch (IOException first) {
            if (Connection.usable(current)) {
                throw pool.channelFailure(first);
            }
            connection.discard(current);
            try {
                return kind.open(connection.session(pool, deadline));
            } catch (IOException again) {
                throw pool.channelFailure(again);
            }
        }
    }

    /** Takes the channel back; one that failed or timed out is closed instead of reused. */
    void giveBack(Connection connection, C channel, boolean reusable) {
        if (reusable && kind.usable(channel)) {
            idle.addFirst(channel);
        } else {
            drop(connection, channel);
        }
        slots.release();
    }

    /** Closes a lent channel at once (how a stalled call is ended); {@link #giveBack} still follows. */
    void close(C channel) {
        kind.close(channel);
    }

    private void drop(Connection connection, C channel) {
        kind.close(channel);
        connection.channels.release();
    }
}
