package io.goldcrest.api.v1;

import io.javalin.Javalin;

/** v1 utilities routes (to be written). */
final class V1UtilitiesRoutes {
    private final V1Services services;

    V1UtilitiesRoutes(V1Services services) {
        this.services = services;
    }

    void register(Javalin app, String prefix) {
    }
}
