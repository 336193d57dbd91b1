package io.goldcrest.api.v1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.goldcrest.api.Access;
import io.goldcrest.api.V1Failure;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.status.ClusterHealth;
import io.goldcrest.status.ServiceHealth;
import io.goldcrest.status.ServiceHealth.ServiceType;
import io.goldcrest.status.StatusService;
import io.goldcrest.status.StatusService.SystemStatus;
import io.goldcrest.tasks.TaskService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * v1's {@code /status}: services, systems, file systems and parameters, none needing
 * {@code X-Machine-Name}. FirecREST v1 probed each micro-service and system when asked and cached the
 * answers for 16 minutes; Goldcrest's health monitor already probes every cluster periodically, so
 * these answers are read from its latest run, fresh at every request.
 *
 * <p>A state is "not available" only when a probe says so: a probe that is not configured or has not
 * run yet says nothing, and requests are then served (that is Goldcrest's health gating too), so the
 * answer is "available". What a request would meet is what the status tells.
 */
final class V1StatusRoutes {
    /**
     * The FirecREST v1 API version served. pyfirecrest reads it to enable features: with less than
     * 1.16.0 it refuses compress, extract, nodes, partitions and reservations.
     */
    static final String FIRECREST_VERSION = "1.16.1";
    /** An object store's single-PUT limit (5 GiB), which v1 staging URLs were bound to. */
    private static final String STORAGE_MAX_FILE_SIZE_MB = "5120";
    private static final long MEBIBYTE = 1024 * 1024;

    private final GoldcrestConfig config;
    private final StatusService status;
    private final TaskService tasks;

    V1StatusRoutes(V1Services services) {
        this.config = services.config();
        this.status = services.status();
        this.tasks = services.tasks().service();
    }

    void register(Javalin app, String prefix) {
        String base = prefix + "/status";
        app.get(base + "/services", this::services, Access.AUTHENTICATED);
        app.get(base + "/services/{servicename}", this::service, Access.AUTHENTICATED);
        app.get(base + "/systems", this::systems, Access.AUTHENTICATED);
        app.get(base + "/systems/{machinename}", this::system, Access.AUTHENTICATED);
        app.get(base + "/filesystems", this::fileSystems, Access.AUTHENTICATED);
        app.get(base + "/filesystems/{machinename}", this::systemFileSystems, Access.AUTHENTICATED);
        app.get(base + "/parameters", this::parameters, Access.AUTHENTICATED);
    }

    /** v1's status answers: {@code {"description", "out"}}. */
    record Listing(String description, Object out) {}

    // ---------------------------------------------------------------- services

    /** v1's micro-services, in the order FirecREST lists them. */
    private static final List<String> SERVICES = List.of("status", "compute", "utilities", "storage", "tasks", "reservations");

    record ServiceStatus(String service, String status, @JsonProperty("status_code") int statusCode, String description) {}

    private void services(Context ctx) {
        V1Request.describe(ctx, "List of services with status and description.");
        ctx.json(new Listing("List of services with status and description.", SERVICES.stream().map(this::serviceStatus).toList()));
    }

    private void service(Context ctx) {
        String name = ctx.pathParam("servicename").toLowerCase(Locale.ROOT);
        if (!SERVICES.contains(name)) {
            throw new V1Failure(ErrorCode.ROUTE_NOT_FOUND, 404, Map.of(),
                    Map.of("description", "Service does not exists", "status_code", 404));
        }
        ctx.json(serviceStatus(name));
    }

    /**
     * A service is up when at least one cluster can serve it: none of the probes its requests depend
     * on failed there. Each v1 service maps to the probes of what it runs on:
     * <ul>
     * <li>status: this answer itself;
     * <li>utilities: SSH (every operation is a command or SFTP over the user's connection);
     * <li>compute: SSH and the scheduler (sbatch, squeue... through the login node);
     * <li>storage: the S3 probe (staging bucket) and the scheduler (every transfer is a job);
     * <li>reservations: SSH, and the site tool being configured at all;
     * <li>tasks: the task store, read once now (there is no periodic probe of it).
     * </ul>
     */
    private ServiceStatus serviceStatus(String service) {
        Optional<String> down = switch (service) {
            case "status" -> Optional.empty();
            case "utilities" -> downEverywhere(Set.of(ServiceType.SSH));
            case "compute" -> downEverywhere(Set.of(ServiceType.SSH, ServiceType.SCHEDULER));
            case "storage" -> downEverywhere(Set.of(ServiceType.S3, ServiceType.SCHEDULER));
            case "reservations" -> config.v1().reservationsCommand().isEmpty()
                    ? Optional.of("no reservations tool is configured (goldcrest.v1)")
                    : downEverywhere(Set.of(ServiceType.SSH));
            case "tasks" -> taskStoreFailure();
            default -> throw new IllegalArgumentException("unknown v1 service " + service);
        };
        return down.map(reason -> new ServiceStatus(service, "not available", 400, "server down: " + reason))
                .orElseGet(() -> new ServiceStatus(service, "available", 200, "server up & flask running"));
    }

    /** Why no cluster can serve requests that need these probes; empty when one can. */
    private Optional<String> downEverywhere(Set<ServiceType> needed) {
        List<String> reasons = new ArrayList<>();
        for (SystemStatus system : status.systems()) {
            List<ServiceHealth> failed = failed(system.health(), needed);
            if (failed.isEmpty()) {
                return Optional.empty();
            }
            reasons.add(failed.stream().map(result -> system.cluster().name() + " " + probeName(result) + " probe failed"
                    + result.message().map(message -> " (" + message + ")").orElse("")).collect(Collectors.joining(", ")));
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }

    private static List<ServiceHealth> failed(ClusterHealth health, Set<ServiceType> types) {
        return health.services().orElse(List.of()).stream()
                .filter(result -> types.contains(result.serviceType()) && !result.healthy())
                .toList();
    }

    private static String probeName(ServiceHealth result) {
        return result.serviceType().name().toLowerCase(Locale.ROOT) + result.path().map(path -> " " + path).orElse("");
    }

    private Optional<String> taskStoreFailure() {
        try {
            // Any id: the lookup reaches the store (SQLite file or Redis) whether or not the task exists.
            tasks.find("status-probe");
            return Optional.empty();
        } catch (GoldcrestException e) {
            return Optional.of("task store: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- systems

    record SystemView(String system, String status, String description) {}

    private void systems(Context ctx) {
        V1Request.describe(ctx, "List of systems with status and description.");
        ctx.json(new Listing("List of systems with status and description.",
                status.systems().stream().map(V1StatusRoutes::systemView).toList()));
    }

    private void system(Context ctx) {
        V1Request.describe(ctx, "System information");
        SystemStatus system = known(ctx.pathParam("machinename")).orElseThrow(() ->
                new V1Failure(ErrorCode.SYSTEM_NOT_FOUND, 404, Map.of(), Map.of("description", "System does not exists.")));
        ctx.json(new Listing("System information", systemView(system)));
    }

    /**
     * v1 tells a system down when SSH fails and a system whose file systems fail apart; the scheduler
     * is compute's concern, not the system's, as in v1.
     */
    private static SystemView systemView(SystemStatus system) {
        String name = system.cluster().name();
        List<ServiceHealth> ssh = failed(system.health(), Set.of(ServiceType.SSH));
        if (!ssh.isEmpty()) {
            return new SystemView(name, "not available", "System does not accept connections"
                    + ssh.getFirst().message().map(message -> " (" + message + ")").orElse(""));
        }
        List<ServiceHealth> fileSystems = failed(system.health(), Set.of(ServiceType.FILESYSTEM));
        if (!fileSystems.isEmpty()) {
            return new SystemView(name, "not available", "Filesystem "
                    + fileSystems.stream().map(result -> result.path().orElse("?")).collect(Collectors.joining(",")) + " is not available");
        }
        return new SystemView(name, "available", "System ready");
    }

    private Optional<SystemStatus> known(String name) {
        return status.systems().stream().filter(system -> system.cluster().name().equalsIgnoreCase(name)).findFirst();
    }

    // ---------------------------------------------------------------- file systems

    record FileSystemView(String name, String path, String description, @JsonProperty("status_code") int statusCode, String status) {}

    private void fileSystems(Context ctx) {
        V1Request.describe(ctx, "Filesystem information");
        Map<String, List<FileSystemView>> out = new LinkedHashMap<>();
        status.systems().forEach(system -> out.put(system.cluster().name(), fileSystemViews(system)));
        ctx.json(new Listing("Filesystem information", out));
    }

    private void systemFileSystems(Context ctx) {
        String name = ctx.pathParam("machinename");
        String description = "Filesystem information for system " + name;
        V1Request.describe(ctx, description);
        SystemStatus system = known(name).orElseThrow(() -> new V1Failure(ErrorCode.SYSTEM_NOT_FOUND, 404, Map.of(),
                Map.of("description", description, "out", "System '" + name + "' doesn't exist")));
        ctx.json(new Listing(description, fileSystemViews(system)));
    }

    /**
     * Each configured file system, named by its data type ({@code USERS}, {@code SCRATCH}...; Goldcrest's
     * configuration has no other name) and unavailable when its latest probe failed.
     */
    private static List<FileSystemView> fileSystemViews(SystemStatus system) {
        List<ServiceHealth> failed = failed(system.health(), Set.of(ServiceType.FILESYSTEM));
        return system.cluster().fileSystems().stream().map(fileSystem -> {
            boolean down = failed.stream().anyMatch(result -> result.path().equals(Optional.of(fileSystem.path())));
            String kind = fileSystem.dataType().name().toLowerCase(Locale.ROOT);
            String description = kind + " file system" + (fileSystem.defaultWorkDir() ? " (default working directory)" : "");
            return new FileSystemView(fileSystem.dataType().name(), fileSystem.path(), description,
                    down ? 400 : 200, down ? "not available" : "available");
        }).toList();
    }

    // ---------------------------------------------------------------- parameters

    record Parameter(String name, Object value, String unit, String description) {}

    record Mounted(String system, List<String> mounted) {}

    /**
     * v1's deployment parameters. Where Goldcrest sets a limit per cluster and v1 has one value, the
     * value is the smallest, which holds on every system.
     */
    private void parameters(Context ctx) {
        V1Request.describe(ctx, "Firecrest's parameters");
        List<ClusterConfig> clusters = config.clusters();
        long maxFileSize = clusters.stream().mapToLong(cluster -> cluster.dataOperation().maxOpsFileSize()).min().orElse(0);
        long timeout = clusters.stream().mapToLong(cluster -> cluster.ssh().timeout().commandExecution().toSeconds()).min().orElse(0);
        String schedulers = clusters.stream().map(cluster -> switch (cluster.scheduler().type()) {
            case SLURM -> "Slurm";
            case PBS -> "PBS";
        }).distinct().collect(Collectors.joining(","));
        List<ClusterConfig.S3Transfer> stagings = clusters.stream()
                .flatMap(cluster -> cluster.dataOperation().dataTransfer().stream())
                .filter(ClusterConfig.S3Transfer.class::isInstance).map(ClusterConfig.S3Transfer.class::cast).toList();
        String urlLifetime = stagings.stream().mapToLong(ClusterConfig.S3Transfer::ttlSeconds).min()
                .stream().mapToObj(Long::toString).findFirst().orElse("");

        Map<String, List<Parameter>> out = new LinkedHashMap<>();
        out.put("general", List.of(
                new Parameter("FIRECREST_VERSION", FIRECREST_VERSION, "", "FirecREST version."),
                new Parameter("FIRECREST_BUILD", config.appVersion(), "", "Goldcrest's app_version (v1 is served beside v2).")));
        out.put("compute", List.of(new Parameter("WORKLOAD_MANAGER", schedulers, "",
                "Type of resource and workload manager used in compute microservice")));
        out.put("utilities", List.of(
                new Parameter("UTILITIES_MAX_FILE_SIZE", megabytes(maxFileSize), "MB",
                        "The maximum allowable file size for various operations of the utilities microservice."),
                new Parameter("UTILITIES_TIMEOUT", Long.toString(timeout), "seconds",
                        "Maximum time duration for executing the commands in the cluster for the utilities microservice.")));
        out.put("storage", List.of(
                new Parameter("OBJECT_STORAGE", stagings.isEmpty() ? "" : "s3v4", "",
                        "Type of object storage, like `swift`, `s3v2` or `s3v4`."),
                new Parameter("STORAGE_TEMPURL_EXP_TIME", urlLifetime, "seconds", "Expiration time for temp URLs."),
                new Parameter("STORAGE_MAX_FILE_SIZE", STORAGE_MAX_FILE_SIZE_MB, "MB", "Maximum file size for temp URLs."),
                new Parameter("FILESYSTEMS", clusters.stream().map(cluster -> new Mounted(cluster.name(),
                        cluster.fileSystems().stream().map(ClusterConfig.FileSystem::path).toList())).toList(), "",
                        "Available filesystems through the API.")));
        ctx.json(new Listing("Firecrest's parameters", out));
    }

    /** v1's MB are mebibytes ({@code F7T_UTILITIES_MAX_FILE_SIZE} × 1024 × 1024 bytes); a fraction when not whole. */
    static String megabytes(long bytes) {
        return new BigDecimal(bytes).divide(BigDecimal.valueOf(MEBIBYTE)).stripTrailingZeros().toPlainString();
    }
}
