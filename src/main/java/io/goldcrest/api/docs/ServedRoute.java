package io.goldcrest.api.docs;

import io.goldcrest.api.Access;
import io.javalin.Javalin;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.Roles;
import java.util.List;

/**
 * A route an application serves, as its router holds it: what the API document must describe.
 *
 * @param method {@code GET}, {@code POST}...
 * @param path the template as registered, e.g. {@code /compute/{system_name}/jobs}
 * @param isPublic whether it is {@link Access#PUBLIC} (no token)
 */
public record ServedRoute(String method, String path, boolean isPublic) {

    /** Every HTTP route of the app; filters (before, after) are not routes. */
    public static List<ServedRoute> of(Javalin app) {
        return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
                .map(ParsedEndpoint::getEndpoint)
                .filter(endpoint -> endpoint.getMethod().isHttpMethod())
                .map(ServedRoute::of)
                .toList();
    }

    private static ServedRoute of(Endpoint endpoint) {
        Roles roles = endpoint.metadata(Roles.class);
        return new ServedRoute(endpoint.getMethod().name(), endpoint.getPath(), roles != null && roles.getRoles().contains(Access.PUBLIC));
    }
}
