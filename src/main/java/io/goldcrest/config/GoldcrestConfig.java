package io.goldcrest.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole configuration: FirecREST v2's schema plus Goldcrest's additions, which all live under
 * keys named {@code goldcrest} (FirecREST ignores unknown keys, so one file can serve both).
 */
public record GoldcrestConfig(
        String appVersion,
        String apisRootPath,
        ServerConfig server,
        AuthConfig auth,
        Optional<StaticKeysConfig> staticKeys,
        Optional<DelegationConfig> delegation,
        List<ClusterConfig> clusters,
        TasksConfig tasks,
        V1Config v1,
        GatewayConfig gateway,
        MetricsConfig metrics,
        AuditConfig audit) {

    public GoldcrestConfig {
        Objects.requireNonNull(appVersion, "appVersion");
        Objects.requireNonNull(apisRootPath, "apisRootPath");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(staticKeys, "staticKeys");
        Objects.requireNonNull(delegation, "delegation");
        clusters = List.copyOf(clusters);
        Objects.requireNonNull(tasks, "tasks");
        Objects.requireNonNull(v1, "v1");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(audit, "audit");
    }

    public Optional<ClusterConfig> cluster(String name) {
        return clusters.stream().filter(cluster -> cluster.name().equalsIgnoreCase(name)).findFirst();
    }
}
