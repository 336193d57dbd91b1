package io.goldcrest.gateway;

import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.ssh.SshPool;
import java.time.Clock;

/** The authorization policy: which client and user may use which system and service. (Skeleton.) */
public final class AccessPolicy {
    private final GoldcrestConfig config;

    public AccessPolicy(GoldcrestConfig config, SshPool pool, Clock clock) {
        this.config = config;
    }
}
