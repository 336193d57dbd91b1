package io.goldcrest.status;

import io.goldcrest.scheduler.Account;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Scheduler accounts per (cluster, user), kept for {@code accounts_cache_ttl}. Looking them up costs
 * two sacctmgr round trips to slurmdbd (hundreds of milliseconds), while associations change rarely;
 * without the cache they would dominate every userinfo request. A TTL of zero disables caching.
 * Entries are only ever replaced, never pruned: one small entry per user who called userinfo.
 */
final class AccountsCache {
    private record Entry(Optional<List<Account>> accounts, Instant expires) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    AccountsCache(Clock clock) {
        this.clock = clock;
    }

    Optional<List<Account>> get(String cluster, String user, Duration ttl, Supplier<Optional<List<Account>>> lookup) {
        String key = cluster + "\u0000" + user;
        Entry entry = entries.get(key);
        Instant now = clock.instant();
        if (entry != null && now.isBefore(entry.expires())) {
            return entry.accounts();
        }
        // Concurrent misses may each look up; that is cheaper than holding a lock across a remote command.
        Optional<List<Account>> accounts = lookup.get();
        if (!ttl.isZero()) {
            entries.put(key, new Entry(accounts, now.plus(ttl)));
        }
        return accounts;
    }
}
