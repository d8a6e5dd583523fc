package dev.gatekit.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** One-off HTTP calls for setting a run up (keys, projects, admin tasks, metrics); never on the load path. */
final class Http {

    record Response(int status, String body) {
        Response orThrow(String what) {
            if (status < 200 || status >= 300) {
                throw new IllegalStateException(what + " answered " + status + ": " + body);
            }
            return this;
        }
    }

    private final String host;
    private final int port;
    private final String bearerToken;

    Http(String base) {
        this(base, null);
    }

    /** @param bearerToken sent as {@code Authorization: Bearer} on every call (the admin port's token), or null */
    Http(String base, String bearerToken) {
        URI uri = URI.create(base);
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.bearerToken = bearerToken;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String hostPort() {
        return host + ":" + port;
    }

    Response post(String path, String apiKey, String json) throws IOException {
        return call("POST", path, apiKey, json);
    }

    Response get(String path, String apiKey) throws IOException {
        return call("GET", path, apiKey, null);
    }

    Response call(String method, String path, String apiKey, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostPort()).append("\r\n")
                .append("Connection: close\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        if (json != null) {
            head.append("Content-Type: application/json\r\n");
        }
        if (apiKey != null) {
            head.append("X-API-Key: ").append(apiKey).append("\r\n");
        }
        if (bearerToken != null) {
            head.append("Authorization: Bearer ").append(bearerToken).append("\r\n");
        }
        head.append("\r\n");
        try (HttpStream stream = HttpStream.connect(host, port, 60_000)) {
            stream.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            stream.write(body);
            int status = stream.readResponse();
            return new Response(status, stream.bodyString());
        }
    }
}
