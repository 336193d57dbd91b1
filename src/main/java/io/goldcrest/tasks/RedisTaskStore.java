package io.goldcrest.tasks;

import io.goldcrest.config.ConfigException;
import io.goldcrest.config.TasksConfig.RedisConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tasks in Redis, shared by every Goldcrest instance that names the same Redis and key prefix.
 *
 * <p>Keys, all under {@code <key_prefix>:}: {@code task:<id>} holds the {@link TaskCodec} JSON and
 * expires at the task's {@code expiresAt}, so Redis forgets tasks by itself ({@link #sweep} does
 * nothing); {@code owner:<owner>} is a sorted set of ids scored by creation time (milliseconds);
 * {@code open:<system>} is the set of open task ids; {@code lease:<system>} names the instance
 * watching that system. An index key expires with the last task it lists, so nothing outlives the
 * retention; ids whose task has expired are removed from an index when a read finds them gone.
 * A put is one Lua script, so a task and its indexes never disagree. A task's owner and system must
 * not change between puts (the old indexes would keep its id until it expires).
 *
 * <p>The keys of one put span several hash slots: this store needs a standalone Redis (or a
 * replicated one), not Redis Cluster; and Redis 6.2 or later ({@code SET ... PXAT}).
 *
 * <p>One Lettuce connection, which is thread-safe and pipelines the callers' commands. Connect and
 * command timeouts are {@value #TIMEOUT_SECONDS} s; while the connection is down, commands fail at
 * once instead of queueing, so callers get {@code TASK_STORE_UNAVAILABLE} quickly while Lettuce
 * reconnects in the background. The URL may hold a password: it is never logged nor put in a message.
 */
public final class RedisTaskStore implements TaskStore {
    static final int TIMEOUT_SECONDS = 2;
    private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);

    // KEYS: task, owner index, open index of its system. ARGV: id, json, createdAt ms, expiresAt ms, '1' when open.
    // Redis's clock decides whether the task has already expired: then the put only removes it.
    private static final String PUT = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local expiresAt = tonumber(ARGV[4])
            if expiresAt <= now then
              redis.call('DEL', KEYS[1])
              redis.call('ZREM', KEYS[2], ARGV[1])
              redis.call('SREM', KEYS[3], ARGV[1])
              return 0
            end
            local function keepUntilExpiry(key)
              local ttl = redis.call('PTTL', key)
              if ttl < 0 or now + ttl < expiresAt then
                redis.call('PEXPIREAT', key, ARGV[4])
              end
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PXAT', ARGV[4])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
            keepUntilExpiry(KEYS[2])
            if ARGV[5] == '1' then
              redis.call('SADD', KEYS[3], ARGV[1])
              keepUntilExpiry(KEYS[3])
            else
              redis.call('SREM', KEYS[3], ARGV[1])
            end
            return 1
            """;

    // KEYS: an index, then task keys. ARGV: 'zset' or 'set', then the ids of those task keys, in order.
    // Checks again under the script's atomicity, so an id put back meanwhile stays listed.
    private static final String PRUNE = """
            local removed = 0
            for i = 2, #KEYS do
              if redis.call('EXISTS', KEYS[i]) == 0 then
                if ARGV[1] == 'zset' then
                  redis.call('ZREM', KEYS[1], ARGV[i])
                else
                  redis.call('SREM', KEYS[1], ARGV[i])
                end
                removed = removed + 1
              end
            end
            return removed
            """;

    // KEYS: the lease. ARGV: holder, ttl ms. Takes a free lease or renews the holder's own.
    private static final String LEASE = """
            local current = redis.call('GET', KEYS[1])
            if current == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            if current then
              return 0
            end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """;

    private static final Pattern VERSION = Pattern.compile("redis_version:(\\d+)\\.(\\d+)");

    private record Script(String source, String sha) {}

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> commands;
    private final String prefix;
    private final Clock clock;
    private final Script put;
    private final Script prune;
    private final Script lease;

    private RedisTaskStore(RedisClient client, StatefulRedisConnection<String, String> connection, String prefix, Clock clock) {
        this.client = client;
        this.connection = connection;
        this.commands = connection.sync();
        this.prefix = prefix + ":";
        this.clock = clock;
        this.put = script(PUT);
        this.prune = script(PRUNE);
        this.lease = script(LEASE);
    }

    /**
     * Connects to {@code config.url()} and checks the server's version.
     *
     * @throws ConfigException when the URL cannot be parsed
     * @throws GoldcrestException {@code TASK_STORE_UNAVAILABLE} when Redis cannot be reached or
     *     refuses the credentials within the timeout, or is older than 6.2
     */
    public static RedisTaskStore open(RedisConfig config, Clock clock) {
        RedisURI uri;
        try {
            uri = RedisURI.create(config.url().reveal());
        } catch (IllegalArgumentException e) {
            // Lettuce's message may quote the URL, and with it the password.
            throw new ConfigException(List.of("goldcrest.redis.url: not a valid Redis URL"));
        }
        uri.setTimeout(TIMEOUT);
        String where = uri.getHost() + ":" + uri.getPort();
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        StatefulRedisConnection<String, String> connection;
        try {
            connection = client.connect();
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, TIMEOUT);
            throw cannotConnect(where, e);
        }
        try {
            requireVersion(connection.sync().info("server"), where);
            return new RedisTaskStore(client, connection, config.keyPrefix(), clock);
        } catch (RuntimeException e) {
            connection.close();
            client.shutdown(Duration.ZERO, TIMEOUT);
            throw e instanceof RedisException redis ? cannotConnect(where, redis) : e;
        }
    }

    private static GoldcrestException cannotConnect(String where, RedisException e) {
        // Lettuce's messages name the address, never the password.
        return new GoldcrestException(ErrorCode.TASK_STORE_UNAVAILABLE,
                "cannot connect to the Redis task store at " + where + " (goldcrest.redis.url): " + rootMessage(e), e);
    }

    @Override
    public void put(Task task) {
        String json = TaskCodec.encode(task);
        call(() -> run(put, ScriptOutputType.INTEGER,
                new String[] {taskKey(task.id()), ownerKey(task.owner()), openKey(task.system())},
                task.id(), json, Long.toString(task.createdAt().toEpochMilli()),
                Long.toString(task.expiresAt().toEpochMilli()), task.state().isOpen() ? "1" : "0"));
    }

    @Override
    public Optional<Task> get(String id) {
        String json = call(() -> commands.get(taskKey(id)));
        return Optional.ofNullable(json).map(TaskCodec::decode).filter(this::live);
    }

    @Override
    public List<Task> byOwner(String owner) {
        String index = ownerKey(owner);
        // Newest first; equal scores come in reverse id order, as in the embedded store.
        List<String> ids = call(() -> commands.zrevrange(index, 0, -1));
        return fetch(index, "zset", ids);
    }

    @Override
    public List<Task> open(String system) {
        String index = openKey(system);
        List<String> ids = call(() -> commands.smembers(index)).stream().toList();
        return fetch(index, "set", ids).stream()
                .filter(task -> task.state().isOpen())
                .sorted(Comparator.comparingLong((Task task) -> task.createdAt().toEpochMilli()).thenComparing(Task::id))
                .toList();
    }

    @Override
    public boolean lease(String system, String holder, Duration ttl) {
        if (ttl.toMillis() <= 0) {
            throw new IllegalArgumentException("lease ttl must be at least 1 ms, not " + ttl);
        }
        long granted = call(() -> run(lease, ScriptOutputType.INTEGER, new String[] {prefix + "lease:" + system},
                holder, Long.toString(ttl.toMillis())));
        return granted == 1;
    }

    /** Nothing to do: Redis expires each task key at its {@code expiresAt}. */
    @Override
    public void sweep(Instant now) {}

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, TIMEOUT);
    }

    /** The live tasks of {@code ids}, in that order; ids whose key has expired leave the index. */
    private List<Task> fetch(String index, String indexType, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String[] keys = ids.stream().map(this::taskKey).toArray(String[]::new);
        List<KeyValue<String, String>> values = call(() -> commands.mget(keys));
        List<Task> tasks = new ArrayList<>();
        List<String> goneKeys = new ArrayList<>();
        List<String> goneIds = new ArrayList<>();
        goneKeys.add(index);
        goneIds.add(indexType);
        for (int i = 0; i < values.size(); i++) {
            KeyValue<String, String> value = values.get(i);
            if (value.hasValue()) {
                Task task = TaskCodec.decode(value.getValue());
                if (live(task)) {
                    tasks.add(task);
                }
            } else {
                goneKeys.add(keys[i]);
                goneIds.add(ids.get(i));
            }
        }
        if (goneKeys.size() > 1) {
            call(() -> run(prune, ScriptOutputType.INTEGER, goneKeys.toArray(String[]::new), goneIds.toArray(String[]::new)));
        }
        return List.copyOf(tasks);
    }

    /** Also by our clock: Redis may keep a key a few milliseconds past its expiry, and clocks differ. */
    private boolean live(Task task) {
        return clock.millis() < task.expiresAt().toEpochMilli();
    }

    private String taskKey(String id) {
        return prefix + "task:" + id;
    }

    private String ownerKey(String owner) {
        return prefix + "owner:" + owner;
    }

    private String openKey(String system) {
        return prefix + "open:" + system;
    }

    private Script script(String source) {
        return new Script(source, commands.digest(source));
    }

    /** By digest; the source is sent only when Redis does not know it yet (first use, after a restart). */
    private <T> T run(Script script, ScriptOutputType type, String[] keys, String... args) {
        try {
            return commands.evalsha(script.sha(), type, keys, args);
        } catch (RedisNoScriptException e) {
            return commands.eval(script.source(), type, keys, args);
        }
    }

    private static <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (RedisCommandTimeoutException e) {
            throw new GoldcrestException(ErrorCode.TASK_STORE_UNAVAILABLE,
                    "the Redis task store did not answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (RedisException e) {
            throw new GoldcrestException(ErrorCode.TASK_STORE_UNAVAILABLE, "the Redis task store failed: " + rootMessage(e), e);
        }
    }

    private static void requireVersion(String info, String where) {
        Matcher matcher = VERSION.matcher(info);
        if (!matcher.find()) {
            return;
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        if (major < 6 || major == 6 && minor < 2) {
            throw new GoldcrestException(ErrorCode.TASK_STORE_UNAVAILABLE,
                    "the Redis task store at " + where + " runs Redis " + major + "." + minor + "; 6.2 or later is needed");
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
