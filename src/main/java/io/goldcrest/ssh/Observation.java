package io.goldcrest.ssh;

import io.goldcrest.error.GoldcrestException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/** Times one remote operation and tells the pool's listener how it ended, whether it returned or threw. */
final class Observation {
    private final RemoteOperationListener listener;
    private final String cluster;
    private final String username;
    private final String kind;
    private final long started = System.nanoTime();
    private String name;
    private Integer exitStatus;

    Observation(RemoteOperationListener listener, String cluster, String username, String kind, String name) {
        this.listener = listener;
        this.cluster = cluster;
        this.username = username;
        this.kind = kind;
        this.name = name;
    }

    /** For operations whose name is known only at their end (the SFTP requests made). */
    void name(String value) {
        name = value;
    }

    void exitStatus(int status) {
        exitStatus = status;
    }

    <T> T around(Supplier<T> work) {
        String failure = null;
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            failure = failureCode(e);
            throw e;
        } finally {
            RemoteOperation operation = new RemoteOperation(cluster, username, kind, name, Optional.ofNullable(exitStatus),
                    Optional.ofNullable(failure), Duration.ofNanos(System.nanoTime() - started));
            try {
                listener.finished(operation);
            } catch (RuntimeException e) {
                // A listener must not fail the user's request.
                LoggerFactory.getLogger(Observation.class).warn("remote operation listener failed", e);
            }
        }
    }

    private static String failureCode(Throwable e) {
        return switch (e) {
            case RemoteFileException refused -> refused.reason().name();
            case GoldcrestException goldcrest -> goldcrest.code().name();
            default -> "INTERNAL";
        };
    }
}
