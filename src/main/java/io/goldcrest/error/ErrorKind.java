package io.goldcrest.error;

/** What kind of failure an {@link ErrorCode} is; decides how callers and the HTTP layer treat it. */
public enum ErrorKind {
    /** The request itself is wrong; retrying it unchanged fails again. */
    INVALID_REQUEST,
    /** No valid credentials were presented. */
    UNAUTHENTICATED,
    /** The caller is known but may not do this. */
    PERMISSION_DENIED,
    NOT_FOUND,
    /** The caller sent more than its limit allows; retrying later succeeds. */
    THROTTLED,
    CONFLICT,
    /** A backend (SSH, scheduler, IdP) could not be reached or refused us. */
    UPSTREAM_UNAVAILABLE,
    /** A backend did not answer within its time limit. */
    UPSTREAM_TIMEOUT,
    /** A backend answered with more than we accept. */
    RESOURCE_LIMIT,
    /** A bug or an unexpected state in Goldcrest itself. */
    INTERNAL
}
