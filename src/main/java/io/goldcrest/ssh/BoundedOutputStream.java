package io.goldcrest.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects a channel's stream up to a cap. Past the cap it drops the bytes and remembers the
 * overflow (the caller then abandons the command) instead of throwing inside MINA's I/O thread.
 */
final class BoundedOutputStream extends OutputStream {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final long cap;
    private volatile boolean overflowed;
    private final Runnable onOverflow;

    BoundedOutputStream(long cap, Runnable onOverflow) {
        this.cap = cap;
        this.onOverflow = onOverflow;
    }

    @Override
    public void write(int value) {
        write(new byte[] {(byte) value}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (overflowed) {
            return;
        }
        if (buffer.size() + (long) length >= cap) {
            overflowed = true;
            onOverflow.run();
            return;
        }
        buffer.write(bytes, offset, length);
    }

    boolean overflowed() {
        return overflowed;
    }

    synchronized String text() {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
