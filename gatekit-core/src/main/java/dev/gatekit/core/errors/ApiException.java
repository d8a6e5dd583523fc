package dev.gatekit.core.errors;

import java.util.List;
import java.util.Map;

/**
 * A failure the client caused or must know about. Services throw it; {@link ApiExceptionMapper}
 * turns it into the one JSON error shape, so no resource builds an error body by hand.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<ErrorDetail> details;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of(), Map.of());
    }

    public ApiException(int status, String code, String message, List<ErrorDetail> details) {
        this(status, code, message, details, Map.of());
    }

    public ApiException(int status, String code, String message, List<ErrorDetail> details, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    public static ApiException invalid(String field, String problem) {
        return new ApiException(422, "validation_failed", field + ": " + problem, List.of(new ErrorDetail(field, problem)));
    }

    public static ApiException invalid(List<ErrorDetail> details) {
        return new ApiException(422, "validation_failed", summary(details, "invalid request"), details);
    }

    /** Query parameters a client got wrong: a 400 naming each, apart from the 422 for a body's fields. */
    public static ApiException badParameters(List<ErrorDetail> details) {
        return new ApiException(400, "invalid_parameter", summary(details, "invalid parameter"), details);
    }

    public static ApiException badParameter(String name, String problem) {
        return badParameters(List.of(new ErrorDetail(name, problem)));
    }

    private static String summary(List<ErrorDetail> details, String otherwise) {
        return details.stream().map(d -> d.field() + ": " + d.problem()).reduce((a, b) -> a + "; " + b).orElse(otherwise);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<ErrorDetail> details() {
        return details;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
