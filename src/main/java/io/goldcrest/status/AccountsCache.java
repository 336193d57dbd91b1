package io.goldcrest.status;

import io.goldcrest.scheduler.Account;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Scheduler accounts per (cluster, user), kept for {@code accounts_cache_ttl}. Looking them up costs
 * two sacctmgr round trips to slurmdbd (hundreds of milliseconds), while associations change rarely;
 * without the cache they would dominate every userinfo request. A TTL of zero disables caching.
 *
 * <p>Concurrent misses for one user share a single lookup: when an entry expires under load, one
 * request asks slurmdbd and the others wait for its answer (without this, hundreds of simultaneous
 * sacctmgr calls made slurmdbd fail). A failed lookup is not cached. Entries are replaced, never
 * pruned: one small entry per user who called userinfo.
 */
final class AccountsCache {
    private record Entry(CompletableFuture<Optional<List<Account>>> accounts, Instant expires) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    AccountsCache(Clock clock) {
        this.clock = clock;
    }

    Optional<List<Account>> get(String cluster, String user, Duration ttl, Supplier<Optional<List<Account>>> lookup) {
        if (ttl.isZero()) {
            return lookup.get();
        }
        String key = cluster + "\u0000" + user;
        CompletableFuture<Optional<List<Account>>> mine = new CompletableFuture<>();
        Instant now = clock.instant();
        Entry entry = entries.compute(key, (k, current) ->
                current != null && now.isBefore(current.expires()) ? current : new Entry(mine, now.plus(ttl)));
        if (entry.accounts() == mine) {
            try {
                mine.complete(lookup.get());
            } catch (RuntimeException e) {
                entries.remove(key, entry);
                mine.completeExceptionally(e);
            }
        }
        try {
            return entry.accounts().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
