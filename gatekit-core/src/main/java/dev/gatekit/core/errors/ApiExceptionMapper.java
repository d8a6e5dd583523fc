package dev.gatekit.core.errors;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException e) {
        return respond(e);
    }

    /** The answer to {@code e}: its status, the JSON error shape, and its headers. */
    static Response respond(ApiException e) {
        return respond(e.status(), e.code(), e.getMessage(), e.details(), e);
    }

    static Response respond(int status, String code, String message, java.util.List<ErrorDetail> details, ApiException source) {
        Response.ResponseBuilder builder = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorResponse.of(status, code, message, details));
        if (source != null) {
            source.headers().forEach(builder::header);
        }
        return builder.build();
    }

    public static Response respond(int status, String code, String message) {
        return respond(status, code, message, java.util.List.of(), null);
    }
}
