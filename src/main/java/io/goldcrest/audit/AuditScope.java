package io.goldcrest.audit;

import java.util.Optional;

/**
 * The request a thread works for, so the audit log can name the client and request id of each remote
 * operation without passing them through every service. The API layer enters it when a request
 * starts and again once the token names its client, and clears it when the request ends.
 *
 * <p>Inheritable: threads a request starts carry its scope: {@code Concurrently}'s helpers, which
 * the request waits for, and v1's background tasks, which mark themselves {@link #continueInBackground}
 * and so are logged with origin {@code background} but still with the request's client and id.
 * Threads started at boot (the task watcher, the health monitor) have no scope: their operations are
 * logged with origin {@code background} and no client or request id. No long-lived pool that runs
 * remote operations creates its threads from a request thread, so none inherits a stale scope.
 *
 * @param clientId the token's client ({@code azp}/{@code client_id}); null before authentication or when the token names none
 * @param background the work goes on after the request was answered (a v1 task)
 */
public record AuditScope(String requestId, String clientId, boolean background) {
    private static final InheritableThreadLocal<AuditScope> CURRENT = new InheritableThreadLocal<>();

    public static void enter(String requestId, String clientId) {
        CURRENT.set(new AuditScope(requestId, clientId, false));
    }

    /** The current thread goes on with the request's work after the answer (it keeps client and request id). */
    public static void continueInBackground() {
        AuditScope scope = CURRENT.get();
        if (scope != null) {
            CURRENT.set(new AuditScope(scope.requestId(), scope.clientId(), true));
        }
    }

    public static Optional<AuditScope> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    public static void clear() {
        CURRENT.remove();
    }
}
