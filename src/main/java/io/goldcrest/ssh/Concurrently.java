package io.goldcrest.ssh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Remote work started side by side (several commands of one request over the user's connection),
 * each on its own virtual thread, and its failure seen by the waiter as it was raised.
 */
public final class Concurrently {
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private Concurrently() {}

    public static <T> CompletableFuture<T> start(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, THREADS);
    }

    /** Waits for the result; a failure is rethrown as the other thread raised it, not wrapped. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
