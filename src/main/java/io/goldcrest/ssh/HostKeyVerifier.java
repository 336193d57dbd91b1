package io.goldcrest.ssh;

import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.ConfigException;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a login node's host key only when it equals a pinned key or a known_hosts entry for the
 * host. Unlike MINA's default, an unknown key is refused; the rejection is marked on the session so
 * the pool can report it as such rather than as a generic connection failure.
 */
final class HostKeyVerifier implements ServerKeyVerifier {
    static final AttributeKey<Boolean> REJECTED = new AttributeKey<>();
    private static final Logger LOG = LoggerFactory.getLogger(HostKeyVerifier.class);

    private final String cluster;
    private final List<PublicKey> pinned;
    private final Optional<ServerKeyVerifier> knownHosts;

    private HostKeyVerifier(String cluster, List<PublicKey> pinned, Optional<ServerKeyVerifier> knownHosts) {
        this.cluster = cluster;
        this.pinned = List.copyOf(pinned);
        this.knownHosts = knownHosts;
    }

    /** @throws ConfigException naming {@code clusters[i].goldcrest.host_keys} when a pinned key does not parse */
    static HostKeyVerifier forCluster(ClusterConfig cluster, int index) {
        List<PublicKey> keys = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < cluster.hostKeys().pinnedKeys().size(); i++) {
            String line = cluster.hostKeys().pinnedKeys().get(i);
            try {
                keys.add(PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null));
            } catch (Exception e) {
                problems.add("clusters[" + index + "].goldcrest.host_keys[" + i + "]: not a usable public key ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Optional<ServerKeyVerifier> knownHosts = cluster.hostKeys().knownHostsFile()
                .map(file -> new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, file));
        return new HostKeyVerifier(cluster.name(), keys, knownHosts);
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        for (PublicKey key : pinned) {
            if (KeyUtils.compareKeys(key, serverKey)) {
                return true;
            }
        }
        if (knownHosts.isPresent() && knownHosts.get().verifyServerKey(session, remoteAddress, serverKey)) {
            return true;
        }
        LOG.warn("cluster {}: refused host key {} {} of {}", cluster, KeyUtils.getKeyType(serverKey),
                KeyUtils.getFingerPrint(serverKey), remoteAddress);
        session.setAttribute(REJECTED, Boolean.TRUE);
        return false;
    }
}
