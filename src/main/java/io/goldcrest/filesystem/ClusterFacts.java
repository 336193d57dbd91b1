package io.goldcrest.filesystem;

import io.goldcrest.ssh.RemoteFileException;
import io.goldcrest.ssh.RemoteFiles;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SFTP does not say but {@code ls -l} shows, learnt once per cluster: user and group names for
 * numeric ids (cached for {@link #NAMES_TTL}) and the time zone in which times are printed.
 */
final class ClusterFacts {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFacts.class);
    /** Account names change rarely; a renamed user shows under the old name for at most this long. */
    static final Duration NAMES_TTL = Duration.ofMinutes(10);

    private final String cluster;
    private final Clock clock;
    private final Map<Integer, String> users = new ConcurrentHashMap<>();
    private final Map<Integer, String> groups = new ConcurrentHashMap<>();
    private volatile Instant namesSince;
    private volatile Boolean namesSupported;
    private volatile DateTimeFormatter times;
    private volatile Instant agentFailedAt;

    ClusterFacts(String cluster, Clock clock) {
        this.cluster = cluster;
        this.clock = clock;
        this.namesSince = clock.instant();
    }

    /**
     * Makes sure the names of these ids are known.
     *
     * @return false when the server cannot map ids to names (then callers use {@code ls})
     */
    boolean learnNames(RemoteFiles files, Set<Integer> uids, Set<Integer> gids) {
        if (Boolean.FALSE.equals(namesSupported)) {
            return false;
        }
        Instant now = clock.instant();
        if (Duration.between(namesSince, now).compareTo(NAMES_TTL) > 0) {
            users.clear();
            groups.clear();
            namesSince = now;
        }
        Set<Integer> unknownUsers = new HashSet<>(uids);
        unknownUsers.removeAll(users.keySet());
        Set<Integer> unknownGroups = new HashSet<>(gids);
        unknownGroups.removeAll(groups.keySet());
        if (unknownUsers.isEmpty() && unknownGroups.isEmpty()) {
            return true;
        }
        try {
            RemoteFiles.Names names = files.names(unknownUsers, unknownGroups);
            // ls prints the number for an id without a name; so do we.
            unknownUsers.forEach(uid -> users.put(uid, names.users().getOrDefault(uid, Integer.toUnsignedString(uid))));
            unknownGroups.forEach(gid -> groups.put(gid, names.groups().getOrDefault(gid, Integer.toUnsignedString(gid))));
            namesSupported = true;
            return true;
        } catch (RemoteFileException e) {
            if (e.reason() != RemoteFileException.Reason.UNSUPPORTED) {
                throw e;
            }
            LOG.info("cluster {}: the SFTP server cannot name user ids; listings use ls", cluster);
            namesSupported = false;
            return false;
        }
    }

    /** The stat agent is tried again {@link #NAMES_TTL} after it could not run (e.g. Perl missing). */
    boolean agentUsable() {
        Instant failed = agentFailedAt;
        return failed == null || Duration.between(failed, clock.instant()).compareTo(NAMES_TTL) > 0;
    }

    void agentFailed() {
        LOG.warn("cluster {}: the stat agent cannot run; ops/stat uses the stat command", cluster);
        agentFailedAt = clock.instant();
    }

    String user(int uid) {
        return users.getOrDefault(uid, Integer.toUnsignedString(uid));
    }

    String group(int gid) {
        return groups.getOrDefault(gid, Integer.toUnsignedString(gid));
    }

    /** Reads the login node's time zone once, over the caller's SFTP channel. */
    void learnZone(RemoteFiles files) {
        if (times == null) {
            times = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(zone(files));
        }
    }

    /** Formats epoch seconds as {@code ls --time-style=+%Y-%m-%dT%H:%M:%S} does on the cluster; after {@link #learnZone}. */
    String time(long epochSeconds) {
        return times.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** The login node's zone: the {@code /etc/localtime} link, else {@code /etc/timezone}, else UTC. */
    private ZoneId zone(RemoteFiles files) {
        try {
            String link = files.readLink("/etc/localtime");
            int at = link.indexOf("zoneinfo/");
            if (at >= 0) {
                return ZoneId.of(link.substring(at + "zoneinfo/".length()));
            }
        } catch (RuntimeException e) {
            LOG.debug("cluster {}: /etc/localtime is not a zoneinfo link: {}", cluster, e.getMessage());
        }
        try {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            files.read("/etc/timezone", 0, 256, content);
            return ZoneId.of(content.toString(StandardCharsets.UTF_8).strip());
        } catch (RuntimeException e) {
            LOG.warn("cluster {}: cannot tell the login node's time zone, using UTC for listings", cluster);
            return ZoneOffset.UTC;
        }
    }
}
