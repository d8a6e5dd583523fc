package dev.gatekit.plugin.testkit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request the {@link FakePlatformServer} received.
 *
 * @param method     the HTTP method
 * @param path       the decoded request path, without the query
 * @param query      the raw query string, or null when there was none
 * @param headers    the headers, names in lower case
 * @param body       the body bytes
 * @param receivedAt when the server received it
 */
public record RecordedRequest(
        String method, String path, String query, Map<String, List<String>> headers, byte[] body, Instant receivedAt) {

    /** Copies the headers and body. */
    public RecordedRequest {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT),
                key -> new ArrayList<>()).addAll(values));
        lower.replaceAll((name, values) -> List.copyOf(values));
        headers = Map.copyOf(lower);
        body = body == null ? new byte[0] : body.clone();
    }

    /**
     * The first value of a header, ignoring case.
     *
     * @param name the header name
     * @return the value, or empty
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The decoded query parameters.
     *
     * @return parameter names to their values, in order
     */
    public Map<String, List<String>> queryParameters() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    /**
     * The body.
     *
     * @return a copy of the body bytes
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body decoded as UTF-8.
     *
     * @return the body text
     */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " (" + body.length + " bytes)";
    }
}
