package dev.gatekit.core.admin;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A task's query parameters: the first value of each, blank counting as absent. */
public record TaskParameters(Map<String, List<String>> values) {

    public Optional<String> get(String name) {
        List<String> given = values.get(name);
        return given == null || given.isEmpty() || given.get(0).isBlank() ? Optional.empty() : Optional.of(given.get(0).trim());
    }

    /** The parameter, or a 400 naming it and showing how to pass it ({@code ?id=webhook}). */
    public String required(String name, String example) {
        return get(name).orElseThrow(() -> new TaskInputException(name, "required, e.g. ?" + name + "=" + example));
    }

    /** The parameter as a UUID, or a 400 naming it. */
    public UUID requiredUuid(String name, String example) {
        String value = required(name, example);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new TaskInputException(name, "must be a UUID, e.g. ?" + name + "=" + example);
        }
    }

    /** The parameter as a positive integer, or {@code fallback} when absent; a 400 naming it when malformed. */
    public int positiveInt(String name, int fallback) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new TaskInputException(name, "must be a positive integer, e.g. ?" + name + "=" + fallback);
    }
}
