package io.goldcrest.api;

import io.javalin.security.RouteRole;

/** Every route declares who may call it. */
public enum Access implements RouteRole {
    /** No token needed (liveness). */
    PUBLIC,
    /** A valid bearer token is required. */
    AUTHENTICATED
}
