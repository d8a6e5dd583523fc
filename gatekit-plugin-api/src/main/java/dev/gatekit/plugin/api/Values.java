package dev.gatekit.plugin.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Defensive-copy helpers shared by the records of this package; not part of the API. */
final class Values {

    private Values() {
    }

    static <T> List<T> list(List<T> values, String name) {
        if (values == null) {
            return List.of();
        }
        for (T value : values) {
            Objects.requireNonNull(value, () -> name + " must not contain null");
        }
        return List.copyOf(values);
    }

    /** Copies a map, dropping null values and keeping the insertion order. */
    static <V> Map<String, V> map(Map<String, V> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        Map<String, V> copy = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (key != null && value != null) {
                copy.put(key, value);
            }
        });
        return Collections.unmodifiableMap(copy);
    }

    static <V> Map<String, List<V>> multiMap(Map<String, List<V>> values) {
        if (values == null || values.isEmpty()) {
            return Map.of();
        }
        Map<String, List<V>> copy = new LinkedHashMap<>();
        values.forEach((key, list) -> {
            if (key != null && list != null) {
                List<V> nonNull = new ArrayList<>();
                for (V value : list) {
                    if (value != null) {
                        nonNull.add(value);
                    }
                }
                copy.put(key, List.copyOf(nonNull));
            }
        });
        return Collections.unmodifiableMap(copy);
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
