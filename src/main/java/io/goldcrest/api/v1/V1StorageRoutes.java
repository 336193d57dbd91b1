package io.goldcrest.api.v1;

import io.javalin.Javalin;

/** v1 storage routes (to be written). */
final class V1StorageRoutes {
    private final V1Services services;

    V1StorageRoutes(V1Services services) {
        this.services = services;
    }

    void register(Javalin app, String prefix) {
    }
}
