package io.goldcrest.ssh;

/**
 * Told of every remote operation when it ends (the audit log, metrics). Called on the request's
 * thread: implementations must be quick and must not throw.
 */
@FunctionalInterface
public interface RemoteOperationListener {
    RemoteOperationListener NONE = operation -> { };

    void finished(RemoteOperation operation);
}
