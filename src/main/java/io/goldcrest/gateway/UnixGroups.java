package io.goldcrest.gateway;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A user's Unix groups on a system, read once and kept for a while. Requests that need the same
 * (system, user) while it is being read wait for that one reading instead of starting their own; a
 * reading that fails is not kept, so the next request tries again.
 */
final class UnixGroups {
    /** Where the groups come from: {@code id} over SSH as the user, in production. */
    @FunctionalInterface
    interface Source {
        Set<String> read(String system, String username);
    }

    /** At this many (system, user) entries the expired ones go before a new one is added, and if that is not enough, all. */
    static final int MAX_ENTRIES = 10_000;

    private record Key(String system, String username) {}

    private record Entry(CompletableFuture<Set<String>> groups, Instant expires) {}

    private final Source source;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    UnixGroups(Source source, Duration ttl, Clock clock) {
        this.source = source;
        this.ttl = ttl;
        this.clock = clock;
    }

    Set<String> of(String system, String username) {
        Instant now = clock.instant();
        Key key = new Key(system, username);
        if (entries.size() >= MAX_ENTRIES && !entries.containsKey(key)) {
            trim(now);
        }
        CompletableFuture<Set<String>> mine = new CompletableFuture<>();
        Entry entry = entries.compute(key, (k, old) -> old != null && now.isBefore(old.expires()) ? old : new Entry(mine, now.plus(ttl)));
        if (entry.groups() == mine) {
            try {
                mine.complete(Set.copyOf(source.read(system, username)));
            } catch (RuntimeException e) {
                entries.remove(key, entry);
                mine.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return entry.groups().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new GoldcrestException(ErrorCode.INTERNAL, "Cannot read the user's groups", e.getCause());
        }
    }

    int size() {
        return entries.size();
    }

    private void trim(Instant now) {
        entries.values().removeIf(entry -> !now.isBefore(entry.expires()));
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
    }
}
