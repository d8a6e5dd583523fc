package dev.gatekit.core.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The one error shape every endpoint answers with:
 * {@code {"error":{"code":"…","message":"…","details":[…]},"message":"…","statusCode":…}}.
 * {@code message} and {@code statusCode} at the top level keep clients of the original NestJS
 * service working, which read them there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(Body error, String message, int statusCode) {

    public record Body(String code, String message, List<ErrorDetail> details) {
    }

    public static ErrorResponse of(int status, String code, String message, List<ErrorDetail> details) {
        return new ErrorResponse(new Body(code, message, details), message, status);
    }
}
