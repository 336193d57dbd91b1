package io.goldcrest.api.v1;

import io.javalin.Javalin;

/** v1 compute routes (to be written). */
final class V1ComputeRoutes {
    private final V1Services services;

    V1ComputeRoutes(V1Services services) {
        this.services = services;
    }

    void register(Javalin app, String prefix) {
    }
}
