package dev.gatekit.core.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * Malformed JSON is a 400; well-formed JSON with an unknown field or a value of the wrong type is
 * a 422 naming the field. Jackson's own messages mention Java class names, so they never reach
 * the client.
 */
@Provider
public class JsonErrorMapper implements ExceptionMapper<JsonProcessingException> {

    private static final String ISO_8601_EXAMPLE = "2026-12-01T09:00:00Z";

    @Override
    public Response toResponse(JsonProcessingException e) {
        ApiException error = asApiException(e);
        return ApiExceptionMapper.respond(error);
    }

    /** What a client is told about JSON Jackson could not read: 400 when it is not JSON, else 422 naming the field. */
    public static ApiException asApiException(JsonProcessingException e) {
        if (e instanceof JsonParseException || !(e instanceof JsonMappingException mapping)) {
            return new ApiException(400, "malformed_json", "Request body is not valid JSON");
        }
        String field = fieldPath(mapping);
        String problem;
        if (e instanceof UnrecognizedPropertyException) {
            problem = "unknown field";
        } else if (e instanceof InvalidFormatException invalid && isTimestamp(invalid.getTargetType())) {
            problem = "invalid value '" + invalid.getValue() + "'; expected an ISO-8601 timestamp such as "
                    + ISO_8601_EXAMPLE;
        } else if (e instanceof InvalidFormatException invalid) {
            problem = "invalid value '" + invalid.getValue() + "'";
        } else if (e instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            problem = instantiation.getCause().getMessage();
        } else if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            problem = "expected " + describe(mismatched.getTargetType());
        } else {
            problem = "invalid value";
        }
        return ApiException.invalid(field.isEmpty() ? "body" : field, problem);
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static boolean isTimestamp(Class<?> type) {
        return type != null && java.time.temporal.Temporal.class.isAssignableFrom(type);
    }

    private static String describe(Class<?> type) {
        if (type.isArray() || List.class.isAssignableFrom(type) || java.util.Set.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (isTimestamp(type)) {
            return "an ISO-8601 timestamp string such as " + ISO_8601_EXAMPLE;
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        return "an object";
    }
}
