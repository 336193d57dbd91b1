package io.goldcrest.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.goldcrest.config.AuditConfig;
import io.goldcrest.ssh.RemoteOperation;
import io.goldcrest.ssh.RemoteOperationListener;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per remote operation run on a user's behalf, on logger {@code goldcrest.audit}
 * (its own appender: see {@code logback.xml} and docs/operations.md). A line says who ran what where
 * and how it ended; it never holds arguments, paths, file contents, scripts or tokens, because
 * {@link RemoteOperation} carries none.
 */
public final class AuditLog implements RemoteOperationListener {
    public static final String LOGGER = "goldcrest.audit";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditConfig config;
    private final Clock clock;

    public AuditLog(AuditConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void finished(RemoteOperation operation) {
        if (!config.enabled() || !LOG.isInfoEnabled()) {
            return;
        }
        try {
            LOG.info(line(operation, AuditScope.current(), clock));
        } catch (JsonProcessingException e) {
            LOG.warn("cannot write audit line", e);
        }
    }

    /** The JSON line of one operation; {@code scope} is empty for operations no request asked for. */
    static String line(RemoteOperation operation, Optional<AuditScope> scope, Clock clock) throws JsonProcessingException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("user", operation.username());
        line.put("client", scope.map(AuditScope::clientId).orElse(null));
        line.put("request_id", scope.map(AuditScope::requestId).orElse(null));
        line.put("origin", scope.isPresent() && !scope.get().background() ? "request" : "background");
        line.put("system", operation.cluster());
        line.put("kind", operation.kind());
        line.put("operation", operation.name());
        line.put("exit_status", operation.exitStatus().orElse(null));
        line.put("failure", operation.failure().orElse(null));
        line.put("duration_ms", Math.round(operation.duration().toNanos() / 100_000.0) / 10.0);
        return JSON.writeValueAsString(line);
    }
}
