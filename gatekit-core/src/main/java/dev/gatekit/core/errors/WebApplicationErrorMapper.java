package dev.gatekit.core.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.glassfish.jersey.server.ParamException;

/** Jersey's own errors (unknown path, wrong method, unsupported media type) in the one JSON shape. */
@Provider
public class WebApplicationErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        if (e instanceof ParamException param && !(e instanceof ParamException.PathParamException)) {
            // JAX-RS answers a query parameter it cannot convert ("limit=99999999999") with a 404, as if the path were wrong.
            ApiException bad = ApiException.badParameter(param.getParameterName(), "invalid value");
            return ApiExceptionMapper.respond(bad);
        }
        int status = e.getResponse().getStatus();
        String code = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "request_failed";
        };
        String message = switch (status) {
            case 404 -> "Resource not found";
            case 405 -> "Method not allowed";
            case 415 -> "Content-Type must be application/json";
            default -> Response.Status.fromStatusCode(status) != null
                    ? Response.Status.fromStatusCode(status).getReasonPhrase()
                    : "Request failed";
        };
        Response response = ApiExceptionMapper.respond(status, code, message);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Allow") || name.equalsIgnoreCase("Retry-After")) {
                values.forEach(v -> response.getHeaders().add(name, v));
            }
        });
        return response;
    }
}
