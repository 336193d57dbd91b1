package io.goldcrest.api.v1;

import io.javalin.Javalin;

/** v1 reservation routes (to be written). */
final class V1ReservationRoutes {
    private final V1Services services;

    V1ReservationRoutes(V1Services services) {
        this.services = services;
    }

    void register(Javalin app, String prefix) {
    }
}
