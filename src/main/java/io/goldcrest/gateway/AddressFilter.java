package io.goldcrest.gateway;

import io.goldcrest.config.GatewayConfig;

/** Global and per-client address allow and deny lists. (Skeleton.) */
public final class AddressFilter {
    private final GatewayConfig config;

    public AddressFilter(GatewayConfig config) {
        this.config = config;
    }
}
