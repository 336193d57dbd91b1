package io.goldcrest.scheduler;

import io.goldcrest.ssh.Concurrently;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Scheduler answers (job lists, job lookups, a user's accounts) shared by concurrent identical
 * requests of one user, and reused for a short time after. Every poller of a workflow engine asking
 * for the same list then costs slurmctld and slurmdbd one squeue and one sacct per interval instead
 * of one per request; a burst of userinfo calls costs one pair of sacctmgr calls.
 *
 * <p>Entries belong to one (cluster, user): Slurm decides what a user may see (PrivateData), so an
 * answer is never handed to another user. An answer is at most {@code ttl} older than the end of
 * the commands that made it, except that {@link #invalidate} (after the user's own submit or
 * cancel) makes every later request ask the scheduler again, so users see their own changes at once.
 * Failures are shared by the requests already waiting, never kept.
 *
 * @param <Q> what was asked (a job query, a job id, a name for a fixed question)
 * @param <V> the answer
 */
public final class UserAnswerCache<Q, V> {
    /** Past this many entries, expired ones are swept on the next insert. */
    private static final int SWEEP_ABOVE = 1024;

    private record Key<Q>(String cluster, String user, Q request) {}

    private record Entry<V>(long generation, CompletableFuture<V> value, AtomicLong completedAt) {
        boolean fresh(long currentGeneration, Instant now, Duration ttl) {
            if (generation != currentGeneration || value.isCompletedExceptionally()) {
                return false;
            }
            long done = completedAt.get();
            return done == 0 || now.toEpochMilli() - done <= ttl.toMillis();
        }
    }

    private final Clock clock;
    private final Map<Key<Q>, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

    public UserAnswerCache(Clock clock) {
        this.clock = clock;
    }

    /** The shared answer, or {@code load}'s, run on the calling thread when this call starts it. */
    public V get(String cluster, String user, Q request, Duration ttl, Supplier<V> load) {
        if (ttl.isZero()) {
            return load.get();
        }
        Key<Q> key = new Key<>(cluster, user, request);
        long generation = generation(cluster, user).get();
        Instant now = clock.instant();
        CompletableFuture<V> mine = new CompletableFuture<>();
        Entry<V> entry = entries.compute(key, (ignored, current) ->
                current != null && current.fresh(generation, now, ttl) ? current : new Entry<>(generation, mine, new AtomicLong()));
        if (entry.value() == mine) {
            if (entries.size() > SWEEP_ABOVE) {
                sweep(now, ttl);
            }
            try {
                V value = load.get();
                entry.completedAt().set(Math.max(1, clock.millis()));
                mine.complete(value);
            } catch (RuntimeException | Error failure) {
                entries.remove(key, entry);
                mine.completeExceptionally(failure);
            }
        }
        return Concurrently.join(entry.value());
    }

    /** Later requests of this user ask the scheduler again. */
    public void invalidate(String cluster, String user) {
        generation(cluster, user).incrementAndGet();
    }

    int size() {
        return entries.size();
    }

    private AtomicLong generation(String cluster, String user) {
        return generations.computeIfAbsent(cluster + '\u0000' + user, ignored -> new AtomicLong());
    }

    private void sweep(Instant now, Duration ttl) {
        entries.entrySet().removeIf(item -> {
            long done = item.getValue().completedAt().get();
            return done != 0 && now.toEpochMilli() - done > ttl.toMillis();
        });
    }
}
