package io.goldcrest.ssh;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches one SFTP request for lack of progress: if nothing moved for {@code limit}, it runs
 * {@code onStall} (which closes the channel, so the blocked call fails). A long transfer that keeps
 * moving is never cut; a request stuck on a hung file system or a FIFO is.
 */
final class Stall {
    private final ScheduledExecutorService timer;
    private final long limitNanos;
    private final Runnable onStall;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean fired;
    private volatile boolean done;
    private volatile ScheduledFuture<?> check;

    Stall(ScheduledExecutorService timer, Duration limit, Runnable onStall) {
        this.timer = timer;
        this.limitNanos = limit.toNanos();
        this.onStall = onStall;
        this.check = timer.schedule(this::check, limitNanos, TimeUnit.NANOSECONDS);
    }

    void progress() {
        lastProgress = System.nanoTime();
    }

    boolean fired() {
        return fired;
    }

    void cancel() {
        done = true;
        check.cancel(false);
    }

    private void check() {
        if (done) {
            return;
        }
        long idle = System.nanoTime() - lastProgress;
        if (idle < limitNanos) {
            check = timer.schedule(this::check, limitNanos - idle, TimeUnit.NANOSECONDS);
            return;
        }
        fired = true;
        onStall.run();
    }
}
