package io.goldcrest.api;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;

/** A request parameter is malformed; answered as a FirecREST validation error naming the parameter. */
public final class ValidationException extends GoldcrestException {
    private final ErrorBody.FieldError field;

    public ValidationException(String location, String name, String message) {
        super(ErrorCode.INVALID_PARAMETER, "Invalid " + location + " parameter '" + name + "': " + message);
        this.field = new ErrorBody.FieldError(location, name, message);
    }

    public ErrorBody.FieldError field() {
        return field;
    }
}
