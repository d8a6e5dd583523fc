package dev.gatekit.core.errors;

/** One problem with one field of a request: {@code {"field":"scopes[1]","problem":"unknown scope 'x'"}}. */
public record ErrorDetail(String field, String problem) {
}
