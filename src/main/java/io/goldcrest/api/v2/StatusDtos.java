package io.goldcrest.api.v2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.goldcrest.config.ClusterConfig;
import io.goldcrest.config.ClusterConfig.DataTransfer;
import io.goldcrest.config.ClusterConfig.S3Transfer;
import io.goldcrest.config.ClusterConfig.StreamerTransfer;
import io.goldcrest.config.ClusterConfig.WormholeTransfer;
import io.goldcrest.config.Secret;
import io.goldcrest.scheduler.Account;
import io.goldcrest.scheduler.Node;
import io.goldcrest.scheduler.NodeState;
import io.goldcrest.scheduler.Partition;
import io.goldcrest.scheduler.Reservation;
import io.goldcrest.status.ClusterHealth;
import io.goldcrest.status.ServiceHealth;
import io.goldcrest.status.StatusService;
import io.goldcrest.status.UserIdentity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The v2 status JSON shapes (camelCase, except the snake_case {@code dataOperation} FirecREST keeps). */
final class StatusDtos {
    private StatusDtos() {}

    record Timeout(long connection, long login, long commandExecution, long idleTimeout, long keepAlive) {}

    record Ssh(String host, int port, String proxyHost, Integer proxyPort, int maxClients, Timeout timeout) {}

    record Scheduler(String type, String connectionMode, String version, String apiUrl, String apiVersion, long timeout) {}

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    record Health(String serviceType, String lastChecked, double latency, boolean healthy,
                  @JsonInclude(JsonInclude.Include.ALWAYS) String message, String path) {}

    record Probe(long timeout) {}

    record Probing(Map<String, Probe> services, long intervalCheck) {}

    record FileSystem(String path, String dataType, boolean defaultWorkDir) {}

    record DataOperation(@JsonProperty("datatransfer_jobs_directives") List<String> directives,
                         @JsonProperty("max_ops_file_size") long maxOpsFileSize,
                         @JsonProperty("data_transfer") Object dataTransfer) {}

    record System(String name, Ssh ssh, Scheduler scheduler, List<Health> servicesHealth, Probing probing,
                  String lastHealthCheck, List<FileSystem> fileSystems, DataOperation dataOperation) {}

    static System system(StatusService.SystemStatus status) {
        ClusterConfig cluster = status.cluster();
        ClusterConfig.Timeouts timeouts = cluster.ssh().timeout();
        Ssh ssh = new Ssh(cluster.ssh().host(), cluster.ssh().port(), null, null, cluster.ssh().maxClients(),
                new Timeout(timeouts.connection().toSeconds(), timeouts.login().toSeconds(),
                        timeouts.commandExecution().toSeconds(), timeouts.idle().toSeconds(), timeouts.keepAlive().toSeconds()));
        ClusterConfig.Scheduler schedulerConfig = cluster.scheduler();
        Scheduler scheduler = new Scheduler(lower(schedulerConfig.type()), lower(schedulerConfig.connectionMode()),
                schedulerConfig.version(), schedulerConfig.apiUrl().orElse(null), schedulerConfig.apiVersion().orElse(null),
                schedulerConfig.timeout().toSeconds());
        ClusterHealth health = status.health();
        List<Health> services = health.services().map(list -> list.stream().map(StatusDtos::health).toList()).orElse(null);
        Probing probing = new Probing(cluster.probing().services().map(map -> {
            Map<String, Probe> probes = new LinkedHashMap<>();
            map.forEach((service, timeout) -> probes.put(lower(service), new Probe(timeout.toSeconds())));
            return probes;
        }).orElse(null), cluster.probing().interval().toSeconds());
        List<FileSystem> fileSystems = cluster.fileSystems().stream()
                .map(fs -> new FileSystem(fs.path(), lower(fs.dataType()), fs.defaultWorkDir())).toList();
        DataOperation dataOperation = new DataOperation(cluster.dataOperation().transferJobDirectives(),
                cluster.dataOperation().maxOpsFileSize(),
                cluster.dataOperation().dataTransfer().map(StatusDtos::dataTransfer).orElse(null));
        return new System(cluster.name(), ssh, scheduler, services, probing,
                health.lastHealthCheck().map(Instant::toString).orElse(null), fileSystems, dataOperation);
    }

    private static Health health(ServiceHealth result) {
        return new Health(lower(result.serviceType()), result.lastChecked().toString(),
                Math.round(result.latencySeconds() * 1000) / 1000.0, result.healthy(),
                result.message().orElse(null), result.path().orElse(null));
    }

    /** Secrets are echoed masked, as FirecREST does. */
    private static Map<String, Object> dataTransfer(DataTransfer transfer) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (transfer) {
            case S3Transfer s3 -> {
                out.put("serviceType", "s3");
                out.put("name", s3.name());
                out.put("privateUrl", Secret.MASK);
                out.put("publicUrl", s3.publicUrl());
                out.put("accessKeyId", Secret.MASK);
                out.put("secretAccessKey", Secret.MASK);
                out.put("region", s3.region());
                out.put("ttl", s3.ttlSeconds());
                out.put("tenant", s3.tenant().orElse(null));
                Map<String, Object> multipart = new LinkedHashMap<>();
                multipart.put("use_split", s3.multipart().useSplit());
                multipart.put("max_part_size", s3.multipart().maxPartSize());
                multipart.put("parallel_runs", s3.multipart().parallelRuns());
                multipart.put("tmp_folder", s3.multipart().tmpFolder());
                out.put("multipart", multipart);
                out.put("bucketLifecycleConfiguration", Map.of("days", s3.lifecycleDays()));
            }
            case WormholeTransfer wormhole -> {
                out.put("serviceType", "wormhole");
                out.put("pypiIndexUrl", wormhole.pypiIndexUrl().orElse(null));
            }
            case StreamerTransfer streamer -> {
                out.put("serviceType", "streamer");
                out.put("pypiIndexUrl", streamer.pypiIndexUrl().orElse(null));
                out.put("host", streamer.host().orElse(null));
                out.put("portRange", streamer.portRange());
                out.put("publicIps", streamer.publicIps());
                out.put("waitTimeout", streamer.waitTimeoutSeconds());
                out.put("inboundTransferLimit", streamer.inboundTransferLimit());
            }
        }
        return out;
    }

    record Liveness(Map<String, String> healthcheckRuns, long lastUpdate) {}

    static Liveness liveness(StatusService.Liveness liveness) {
        Map<String, String> runs = new LinkedHashMap<>();
        liveness.healthcheckRuns().forEach((name, time) -> runs.put(name, time.toString()));
        return new Liveness(runs, liveness.lastUpdateSeconds());
    }

    record NodeDto(Integer sockets, Integer cores, Integer threads, Integer cpus, Double cpuLoad, Long freeMemory,
                   String features, String name, String address, String hostname, List<String> state,
                   List<String> partitions, Integer weight, Long allocMemory, Integer allocCpus, Integer idleCpus) {}

    static NodeDto node(Node node) {
        return new NodeDto(node.sockets().orElse(null), node.cores().orElse(null), node.threads().orElse(null),
                node.cpus().orElse(null), node.cpuLoad().orElse(null), node.freeMemory().orElse(null), node.features(),
                node.name(), node.address(), node.hostname(), node.state().stream().map(NodeState::name).toList(),
                node.partitions(), node.weight().orElse(null), node.allocMemory().orElse(null),
                node.allocCpus().orElse(null), node.idleCpus().orElse(null));
    }

    record PartitionDto(String name, Integer cpus, Integer totalNodes, String partition) {}

    static PartitionDto partition(Partition partition) {
        return new PartitionDto(partition.name(), partition.cpus().orElse(null), partition.totalNodes().orElse(null), partition.state());
    }

    record ReservationDto(String name, String nodeList, long endTime, long startTime, String features, String state) {}

    static ReservationDto reservation(Reservation reservation) {
        return new ReservationDto(reservation.name(), reservation.nodeList(), reservation.endTime(), reservation.startTime(),
                reservation.features().orElse(null), reservation.state());
    }

    record IdDto(String id, String name) {}

    record AccountDto(String name, @JsonProperty("default") boolean isDefault) {}

    record UserInfoDto(IdDto user, IdDto group, List<IdDto> groups, List<AccountDto> accounts) {}

    static UserInfoDto userInfo(StatusService.UserInfo info) {
        UserIdentity identity = info.identity();
        return new UserInfoDto(id(identity.user()), id(identity.group()),
                identity.groups().stream().map(StatusDtos::id).toList(),
                info.accounts().map(list -> list.stream().map(StatusDtos::account).toList()).orElse(null));
    }

    private static IdDto id(UserIdentity.Id id) {
        return new IdDto(id.id(), id.name());
    }

    private static AccountDto account(Account account) {
        return new AccountDto(account.name(), account.isDefault());
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
