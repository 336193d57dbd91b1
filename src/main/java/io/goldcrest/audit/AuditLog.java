package io.goldcrest.audit;

import io.goldcrest.config.AuditConfig;
import io.goldcrest.ssh.RemoteOperation;
import io.goldcrest.ssh.RemoteOperationListener;

/** One JSON line per remote operation on logger {@code goldcrest.audit}. (Skeleton.) */
public final class AuditLog implements RemoteOperationListener {
    private final AuditConfig config;

    public AuditLog(AuditConfig config) {
        this.config = config;
    }

    @Override
    public void finished(RemoteOperation operation) {
    }
}
