package io.goldcrest.error;

/**
 * A {@link ErrorCode#RATE_LIMITED} refusal that says when to come back: the API answers 429 with
 * {@code Retry-After} set to {@link #retryAfterSeconds()}.
 */
public final class ThrottledException extends GoldcrestException {
    private final long retryAfterSeconds;

    /** @param retryAfterSeconds whole seconds until a retry may succeed; raised to 1 when lower */
    public ThrottledException(String message, long retryAfterSeconds) {
        super(ErrorCode.RATE_LIMITED, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
