package io.goldcrest.ssh;

import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Told of every remote operation when it ends (the audit log, metrics). Called on the request's
 * thread: implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface RemoteOperationListener {
    RemoteOperationListener NONE = operation -> { };

    void finished(RemoteOperation operation);

    /** Tells each listener in turn; one that throws anyway is logged and skipped, so the others still hear. */
    static RemoteOperationListener all(List<RemoteOperationListener> listeners) {
        List<RemoteOperationListener> copy = List.copyOf(listeners);
        return operation -> {
            for (RemoteOperationListener listener : copy) {
                try {
                    listener.finished(operation);
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(RemoteOperationListener.class).warn("remote operation listener failed", e);
                }
            }
        };
    }
}
