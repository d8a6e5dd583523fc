package dev.gatekit.plugin.whatsapp;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place JSON is read or written, with jackson-jr's default configuration: objects are
 * {@code Map}s, arrays {@code List}s. The lookups are lenient (a missing or mistyped member is
 * empty), since Meta adds fields and the plugin only needs a few.
 */
final class Json {

    private Json() {
    }

    static byte[] write(Object value) {
        try {
            return JSON.std.asBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e);
        }
    }

    /** The body as a JSON object, or empty when it is not one. */
    static Optional<Map<String, Object>> object(byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.std.mapFrom(body));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> parent, String name) {
        return parent.get(name) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> parent, String name) {
        if (!(parent.get(name) instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(item -> (Map<String, Object>) item).toList();
    }

    /** A string, number or boolean member as text; empty when absent, blank or structured. */
    static Optional<String> string(Map<String, Object> parent, String name) {
        Object value = parent.get(name);
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            String text = value.toString();
            return text.isBlank() ? Optional.empty() : Optional.of(text);
        }
        return Optional.empty();
    }
}
