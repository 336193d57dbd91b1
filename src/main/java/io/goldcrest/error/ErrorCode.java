package io.goldcrest.error;

/** Every failure Goldcrest reports, each belonging to one {@link ErrorKind}. */
public enum ErrorCode {
    NOT_AUTHENTICATED(ErrorKind.UNAUTHENTICATED),
    TOKEN_INVALID(ErrorKind.UNAUTHENTICATED),
    TOKEN_EXPIRED(ErrorKind.UNAUTHENTICATED),
    TOKEN_KEY_UNKNOWN(ErrorKind.UNAUTHENTICATED),
    TOKEN_EXPIRES_TOO_SOON(ErrorKind.UNAUTHENTICATED),
    /** The token is valid but lacks the claim that names the cluster user. */
    TOKEN_USERNAME_MISSING(ErrorKind.INVALID_REQUEST),
    CLIENT_NOT_ALLOWED(ErrorKind.PERMISSION_DENIED),
    USER_NOT_ALLOWED(ErrorKind.PERMISSION_DENIED),
    NO_SSH_CREDENTIALS(ErrorKind.PERMISSION_DENIED),
    /** The authorization policy grants this client and user nothing (or too little) on this system and service. */
    ACCESS_DENIED(ErrorKind.PERMISSION_DENIED),
    /** The policy accepts registered clients only, and the token's client is not one. */
    CLIENT_NOT_REGISTERED(ErrorKind.PERMISSION_DENIED),
    /** The request's source address is outside the allowed blocks or inside a denied one. */
    ADDRESS_DENIED(ErrorKind.PERMISSION_DENIED),
    /** A rate limit or the per-user cap on waiting SSH work was reached; the caller may retry later. */
    RATE_LIMITED(ErrorKind.THROTTLED),

    INVALID_PARAMETER(ErrorKind.INVALID_REQUEST),
    SYSTEM_NOT_FOUND(ErrorKind.NOT_FOUND),
    ROUTE_NOT_FOUND(ErrorKind.NOT_FOUND),
    METHOD_NOT_ALLOWED(ErrorKind.INVALID_REQUEST),
    SERVICE_UNHEALTHY(ErrorKind.UPSTREAM_UNAVAILABLE),

    SSH_CONNECT_TIMEOUT(ErrorKind.UPSTREAM_TIMEOUT),
    COMMAND_TIMEOUT(ErrorKind.UPSTREAM_TIMEOUT),
    OUTPUT_TOO_LARGE(ErrorKind.RESOURCE_LIMIT),
    SSH_CONNECTION_FAILED(ErrorKind.UPSTREAM_UNAVAILABLE),
    SSH_AUTHENTICATION_FAILED(ErrorKind.UPSTREAM_UNAVAILABLE),
    SSH_HOST_KEY_REJECTED(ErrorKind.UPSTREAM_UNAVAILABLE),
    SSH_CHANNEL_FAILED(ErrorKind.UPSTREAM_UNAVAILABLE),
    SSH_POOL_FULL(ErrorKind.UPSTREAM_UNAVAILABLE),

    /** A remote file command failed with "No such file or directory". */
    PATH_NOT_FOUND(ErrorKind.NOT_FOUND),
    /** A remote file command failed with "Permission denied" or "Operation not permitted". */
    PATH_PERMISSION_DENIED(ErrorKind.PERMISSION_DENIED),
    /** A remote file command refused its input: "File exists", "invalid user". */
    PATH_CONFLICT(ErrorKind.CONFLICT),
    /** An upload or download larger than the cluster's {@code max_ops_file_size}. */
    FILE_TOO_LARGE(ErrorKind.RESOURCE_LIMIT),

    /** No job with the requested id is known to the scheduler (queue or accounting). */
    JOB_NOT_FOUND(ErrorKind.NOT_FOUND),
    /** The scheduler refused a submission because of what was asked (partition, account, script...). */
    JOB_REJECTED(ErrorKind.INVALID_REQUEST),
    /** The scheduler refused a submission by an accounting or QOS limit. */
    JOB_LIMIT_EXCEEDED(ErrorKind.PERMISSION_DENIED),

    /** No task with this id exists (or it has expired). */
    TASK_NOT_FOUND(ErrorKind.NOT_FOUND),
    /** The task exists but belongs to another user. */
    TASK_FORBIDDEN(ErrorKind.PERMISSION_DENIED),
    /** The task store (SQLite file or Redis) cannot be read or written. */
    TASK_STORE_UNAVAILABLE(ErrorKind.UPSTREAM_UNAVAILABLE),
    /** The S3 staging service refused or did not answer a bucket or upload operation. */
    STAGING_UNAVAILABLE(ErrorKind.UPSTREAM_UNAVAILABLE),
    /** The cluster has no {@code data_transfer} of the kind the request asks for. */
    TRANSFER_METHOD_UNAVAILABLE(ErrorKind.INVALID_REQUEST),

    SCHEDULER_ERROR(ErrorKind.INTERNAL),
    REMOTE_COMMAND_FAILED(ErrorKind.INTERNAL),
    INTERNAL(ErrorKind.INTERNAL);

    private final ErrorKind kind;

    ErrorCode(ErrorKind kind) {
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }
}
