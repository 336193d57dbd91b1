package io.goldcrest.api.v2;

import io.goldcrest.api.Access;
import io.goldcrest.api.ApiApp;
import io.goldcrest.api.RequestContext;
import io.goldcrest.status.StatusService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;

/** FirecREST v2 {@code /status} routes. Handlers only read parameters, call the service and write JSON. */
public final class StatusRoutes {
    private final StatusService status;

    public StatusRoutes(StatusService status) {
        this.status = status;
    }

    public void register(Javalin app, String prefix) {
        app.get(prefix + "/status/liveness", this::liveness, Access.PUBLIC);
        app.get(prefix + "/status/systems", this::systems, Access.AUTHENTICATED);
        app.get(prefix + "/status/{system_name}/nodes", this::nodes, Access.AUTHENTICATED);
        app.get(prefix + "/status/{system_name}/partitions", this::partitions, Access.AUTHENTICATED);
        app.get(prefix + "/status/{system_name}/reservations", this::reservations, Access.AUTHENTICATED);
        app.get(prefix + "/status/{system_name}/userinfo", this::userInfo, Access.AUTHENTICATED);
    }

    private void liveness(Context ctx) {
        ctx.json(StatusDtos.liveness(status.liveness()));
    }

    private void systems(Context ctx) {
        ctx.json(Map.of("systems", status.systems().stream().map(StatusDtos::system).toList()));
    }

    private void nodes(Context ctx) {
        String user = RequestContext.requirePrincipal(ctx).username();
        ctx.json(Map.of("nodes", status.nodes(system(ctx), user).stream().map(StatusDtos::node).toList()));
    }

    private void partitions(Context ctx) {
        String user = RequestContext.requirePrincipal(ctx).username();
        String system = system(ctx);
        boolean showHidden = ApiApp.queryBoolean(ctx, "show_hidden", false);
        ctx.json(Map.of("partitions", status.partitions(system, user, showHidden).stream().map(StatusDtos::partition).toList()));
    }

    private void reservations(Context ctx) {
        String user = RequestContext.requirePrincipal(ctx).username();
        ctx.json(Map.of("reservations", status.reservations(system(ctx), user).stream().map(StatusDtos::reservation).toList()));
    }

    private void userInfo(Context ctx) {
        String user = RequestContext.requirePrincipal(ctx).username();
        ctx.json(StatusDtos.userInfo(status.userInfo(system(ctx), user)));
    }

    /** Resolves the system first, so an unknown one is a 404 before any parameter is checked. */
    private String system(Context ctx) {
        return status.system(ctx.pathParam("system_name")).name();
    }
}
