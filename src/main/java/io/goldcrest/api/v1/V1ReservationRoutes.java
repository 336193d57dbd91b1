package io.goldcrest.api.v1;

import io.goldcrest.api.Access;
import io.goldcrest.api.V1Failure;
import io.goldcrest.compute.ReservationToolCommand;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.V1Config;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.ErrorKind;
import io.goldcrest.error.GoldcrestException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * FirecREST v1's deprecated {@code /reservations}: a thin wrapper around the site's reservation
 * tool ({@code goldcrest.v1.reservations_command}, FirecREST's {@code rsvmgmt}), run as the user
 * over SSH with every value quoted. A site without the tool answers 501. Errors are v1's
 * reservation shape, {@code {"error": "<what failed>", "description": "<why>"}}, and every answer
 * carries the deprecation headers of v1's gateway.
 */
final class V1ReservationRoutes {
    private static final String DEPRECATION = "@1711111630";
    private static final String SUNSET = "Only suppoerted until v2.0";

    private final V1Services services;

    V1ReservationRoutes(V1Services services) {
        this.services = services;
    }

    void register(Javalin app, String prefix) {
        String reservations = prefix + "/reservations";
        // Before the handlers, so that errors (even a missing token) carry them as well.
        app.before(reservations, V1ReservationRoutes::deprecated);
        app.before(reservations + "/*", V1ReservationRoutes::deprecated);
        app.get(reservations, this::list, Access.AUTHENTICATED);
        app.post(reservations, this::create, Access.AUTHENTICATED);
        app.put(reservations + "/{reservation}", this::update, Access.AUTHENTICATED);
        app.delete(reservations + "/{reservation}", this::delete, Access.AUTHENTICATED);
    }

    /** v1's gateway marked these routes deprecated; the Sunset text (and its spelling) is the gateway's. */
    private static void deprecated(Context ctx) {
        ctx.header("Deprecation", DEPRECATION);
        ctx.header("Sunset", SUNSET);
    }

    private record Target(ClusterConfig cluster, String user, V1Config tool) {}

    /** The caller and system; 501 when this site has no reservation tool. */
    private Target target(Context ctx, String failure) {
        V1Request.describe(ctx, failure);
        String user = V1Request.user(ctx);
        ClusterConfig cluster = V1Request.system(ctx, services.config(), false);
        V1Config v1 = services.config().v1();
        if (v1.reservationsCommand().isEmpty()) {
            throw new V1Failure(ErrorCode.ROUTE_NOT_FOUND, 501, Map.of(), body(failure,
                    "No reservation tool is configured at this site (goldcrest.v1.reservations_command)"));
        }
        return new Target(cluster, user, v1);
    }

    private void list(Context ctx) {
        String failure = "Error listing reservations";
        Target target = target(ctx, failure);
        String listing = run(target, failure,
                ReservationToolCommand.list(target.tool().reservationsCommand(), target.tool().reservationsTimeout()));
        ctx.json(Map.of("success", ReservationToolCommand.reservations(listing)));
    }

    private void create(Context ctx) {
        String failure = "Error creating reservation";
        Target target = target(ctx, failure);
        String reservation = field(ctx, failure, "reservation");
        String account = field(ctx, failure, "account");
        ReservationToolCommand.Window window = window(ctx, failure);
        ReservationToolCommand command = checked(failure, () -> ReservationToolCommand.create(
                target.tool().reservationsCommand(), target.tool().reservationsTimeout(), reservation, account, window));
        ctx.status(201).json(Map.of("success", run(target, failure, command)));
    }

    /** pyfirecrest also sends {@code account}, which the tool's update does not take. */
    private void update(Context ctx) {
        String failure = "Error updating reservation";
        Target target = target(ctx, failure);
        String reservation = ctx.pathParam("reservation");
        ReservationToolCommand.Window window = window(ctx, failure);
        ReservationToolCommand command = checked(failure, () -> ReservationToolCommand.update(
                target.tool().reservationsCommand(), target.tool().reservationsTimeout(), reservation, window));
        ctx.json(Map.of("success", run(target, failure, command)));
    }

    private void delete(Context ctx) {
        String failure = "Error deleting reservation";
        Target target = target(ctx, failure);
        String reservation = ctx.pathParam("reservation");
        ReservationToolCommand command = checked(failure, () -> ReservationToolCommand.delete(
                target.tool().reservationsCommand(), target.tool().reservationsTimeout(), reservation));
        run(target, failure, command);
        ctx.status(204);
    }

    /** {@code numberOfNodes}, {@code nodeType}, {@code starttime}, {@code endtime}; times in the server's zone, as in v1. */
    private ReservationToolCommand.Window window(Context ctx, String failure) {
        String numberOfNodes = field(ctx, failure, "numberOfNodes");
        String nodeType = field(ctx, failure, "nodeType");
        String startTime = field(ctx, failure, "starttime");
        String endTime = field(ctx, failure, "endtime");
        LocalDateTime now = LocalDateTime.now(services.clock().withZone(ZoneId.systemDefault()));
        return checked(failure, () -> ReservationToolCommand.window(numberOfNodes, nodeType, startTime, endTime, now));
    }

    private static String field(Context ctx, String failure, String name) {
        return V1Request.param(ctx, name).orElseThrow(() -> invalid(failure, "'" + name + "' form data input missing"));
    }

    private static <T> T checked(String failure, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw invalid(failure, e.getMessage());
        }
    }

    /**
     * Runs the tool as the user. Its refusals become v1's answers: a permission problem 404 with
     * {@code X-Permission-Denied}, a timeout {@code X-Timeout}, an unreachable system
     * {@code X-Machine-Not-Available}, anything else 400 with the tool's message.
     */
    private String run(Target target, String failure, ReservationToolCommand command) {
        try {
            return services.pool().runner(target.cluster().name(), target.user()).run(command);
        } catch (V1Failure e) {
            throw e;
        } catch (GoldcrestException e) {
            if (e.code() == ErrorCode.PATH_PERMISSION_DENIED) {
                throw new V1Failure(e.code(), 404,
                        Map.of("X-Permission-Denied", "User does not have permissions to access machine or path"),
                        Map.of("error", failure));
            }
            if (e.code() == ErrorCode.COMMAND_TIMEOUT) {
                throw new V1Failure(e.code(), 400, Map.of("X-Timeout", "Command has finished with timeout signal"),
                        Map.of("error", failure));
            }
            if (e.code().kind() == ErrorKind.UPSTREAM_UNAVAILABLE || e.code() == ErrorCode.SSH_CONNECT_TIMEOUT) {
                throw new V1Failure(e.code(), 400, Map.of("X-Machine-Not-Available", "Machine is not available"),
                        Map.of("error", failure));
            }
            throw new V1Failure(e.code(), 400, Map.of(), body(failure, e.getMessage()));
        }
    }

    private static V1Failure invalid(String failure, String description) {
        return new V1Failure(ErrorCode.INVALID_PARAMETER, 400, Map.of(), body(failure, description));
    }

    private static Map<String, Object> body(String failure, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", failure);
        body.put("description", description);
        return body;
    }
}
