package dev.gatekit.plugin.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request the platform sent to a configuration's webhook URL, as the host received it.
 *
 * @param method          the HTTP method, such as {@code POST}
 * @param path            the request path
 * @param headers         the headers as received; look them up with {@link #header(String)},
 *                        which ignores case; null means none
 * @param queryParameters the decoded query parameters; null means none
 * @param body            the raw body bytes, exactly as received (verify signatures over
 *                        these); null means empty; copied on the way in and out
 * @param remoteAddress   the client's address, or null
 * @param receivedAt      when the host received it
 */
public record WebhookRequest(
        String method,
        String path,
        Map<String, List<String>> headers,
        Map<String, List<String>> queryParameters,
        byte[] body,
        String remoteAddress,
        Instant receivedAt) {

    /** Validates the request and copies its parts. */
    public WebhookRequest {
        Values.requireText(method, "method");
        path = path == null ? "" : path;
        headers = Values.multiMap(headers);
        queryParameters = Values.multiMap(queryParameters);
        body = body == null ? new byte[0] : body.clone();
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /**
     * The first value of a header, matching its name without regard to case.
     *
     * @param name the header name, such as {@code X-Signature}
     * @return the value, or empty when the header is absent
     */
    public Optional<String> header(String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return Optional.of(entry.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    /**
     * The first value of a query parameter.
     *
     * @param name the parameter name (case-sensitive)
     * @return the value, or empty when absent
     */
    public Optional<String> queryParameter(String name) {
        List<String> values = queryParameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The raw body.
     *
     * @return a copy of the body bytes, empty when there was no body
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

    /**
     * Compares by value, including the body's content.
     *
     * @param other the object to compare with
     * @return true when equal
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookRequest that
                && method.equals(that.method)
                && path.equals(that.path)
                && headers.equals(that.headers)
                && queryParameters.equals(that.queryParameters)
                && Arrays.equals(body, that.body)
                && Objects.equals(remoteAddress, that.remoteAddress)
                && receivedAt.equals(that.receivedAt);
    }

    /**
     * Hashes by value, including the body's content.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return Objects.hash(method, path, headers, queryParameters, Arrays.hashCode(body), remoteAddress, receivedAt);
    }

    /**
     * Describes the request without its headers or body, which may carry secrets.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "WebhookRequest[" + method + " " + path + ", body=" + body.length + " bytes, from="
                + remoteAddress + ", receivedAt=" + receivedAt + "]";
    }
}
