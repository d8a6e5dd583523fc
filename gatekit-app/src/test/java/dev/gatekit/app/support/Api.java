package dev.gatekit.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A plain HTTP client for GateKit's API, as a user's program would call it. */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String adminBase;
    private final String adminToken;

    public Api(String base, String adminBase) {
        this(base, adminBase, TestApp.ADMIN_TOKEN);
    }

    public Api(String base, String adminBase, String adminToken) {
        this.base = base;
        this.adminBase = adminBase;
        this.adminToken = adminToken;
    }

    public record Reply(int status, Map<String, java.util.List<String>> headers, String text) {
        public JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON (" + status + "): " + text, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        public String errorCode() {
            return json().path("error").path("code").asText();
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    public Reply get(String path, String apiKey) {
        return send(request(path, apiKey).GET());
    }

    public Reply delete(String path, String apiKey) {
        return send(request(path, apiKey).DELETE());
    }

    public Reply post(String path, String apiKey, Object body) {
        return send(request(path, apiKey).header("Content-Type", "application/json").POST(bodyOf(body)));
    }

    public Reply patch(String path, String apiKey, Object body) {
        return send(request(path, apiKey).header("Content-Type", "application/json").method("PATCH", bodyOf(body)));
    }

    /** For requests a helper above cannot express (other headers, raw bodies, OPTIONS). */
    public Reply send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return exchange(built);
        } catch (IOException e) {
            // A pooled connection the server had just closed (after answering an earlier request
            // without reading its body) fails before a byte comes back; the server never saw this
            // request, so it is sent once more on a fresh connection, as HTTP clients do.
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw new UncheckedIOException(e);
            }
            try {
                return exchange(built);
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }

    private static Reply exchange(HttpRequest request) throws IOException {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String apiKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            builder.header("X-API-Key", apiKey);
        }
        return builder;
    }

    /** A request to the admin port ({@code /healthcheck}, {@code /tasks/…}) carrying the admin token. */
    public HttpRequest.Builder adminRequest(String path) {
        return HttpRequest.newBuilder(URI.create(adminBase + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken);
    }

    /** Calls an admin task on the admin port and returns what it printed. */
    public String adminTask(String task, String query) {
        HttpRequest.Builder request = adminRequest("/tasks/" + task + (query.isEmpty() ? "" : "?" + query))
                .POST(HttpRequest.BodyPublishers.noBody());
        Reply reply = send(request);
        if (reply.status() != 200) {
            throw new IllegalStateException("Task " + task + " failed: " + reply);
        }
        return reply.text().trim();
    }

    public String mintAdminKey() {
        return adminTask("mint-admin-key", "name=test-admin");
    }

    /** Creates a project with a unique name and returns its slug. */
    public String createProject(String adminKey, String namePrefix) {
        Reply reply = post("/api/v1/projects", adminKey, Map.of("name", namePrefix + " " + UUID.randomUUID().toString().substring(0, 8)));
        if (reply.status() != 201) {
            throw new IllegalStateException("Could not create a project: " + reply);
        }
        return reply.json().get("slug").asText();
    }

    /** Creates a key with exactly these scopes and returns its secret. */
    public String createKey(String managerKey, String slug, String... scopes) {
        return createKeyReply(managerKey, slug, scopes).json().get("key").asText();
    }

    public Reply createKeyReply(String managerKey, String slug, String... scopes) {
        ObjectNode body = JSON.createObjectNode().put("name", "test key");
        body.putArray("scopes").addAll(java.util.Arrays.stream(scopes).map(JSON.getNodeFactory()::textNode).toList());
        Reply reply = post("/api/v1/projects/" + slug + "/keys", managerKey, body);
        if (reply.status() != 201) {
            throw new IllegalStateException("Could not create a key: " + reply);
        }
        return reply;
    }

    private static HttpRequest.BodyPublisher bodyOf(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
