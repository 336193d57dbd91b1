package io.goldcrest.api.v1;

import io.javalin.Javalin;

/** v1 status routes (to be written). */
final class V1StatusRoutes {
    private final V1Services services;

    V1StatusRoutes(V1Services services) {
        this.services = services;
    }

    void register(Javalin app, String prefix) {
    }
}
