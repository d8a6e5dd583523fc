package dev.gatekit.core.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A task's query parameters: the first value of each, blank counting as absent. */
public record TaskParameters(Map<String, List<String>> values) {

    public Optional<String> get(String name) {
        List<String> given = values.get(name);
        return given == null || given.isEmpty() || given.get(0).isBlank() ? Optional.empty() : Optional.of(given.get(0).trim());
    }

    /** The parameter, or a failure whose message shows how to pass it ({@code ?id=webhook}). */
    public String required(String name, String example) {
        return get(name).orElseThrow(() -> new IllegalArgumentException("missing parameter '" + name + "', e.g. ?" + name + "=" + example));
    }
}
