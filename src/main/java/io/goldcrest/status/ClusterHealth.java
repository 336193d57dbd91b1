package io.goldcrest.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The results of a cluster's latest complete health run; {@link #NONE} before the first one ends. */
public record ClusterHealth(Optional<List<ServiceHealth>> services, Optional<Instant> lastHealthCheck) {
    public static final ClusterHealth NONE = new ClusterHealth(Optional.empty(), Optional.empty());

    public ClusterHealth {
        services = services.map(List::copyOf);
        Objects.requireNonNull(lastHealthCheck, "lastHealthCheck");
    }

    /** The latest result for a service type, if that probe ran. */
    public Optional<ServiceHealth> latest(ServiceHealth.ServiceType type) {
        return services.orElse(List.of()).stream().filter(result -> result.serviceType() == type).findFirst();
    }
}
