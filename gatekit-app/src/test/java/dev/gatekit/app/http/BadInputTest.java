package dev.gatekit.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.webhooks.Inbound;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every kind of bad request gets a 4xx in the one JSON error shape, never a 500 or a stack trace. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BadInputTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "http.maxBodyBytes=4096", "plugins.directory=" + Messaging.pluginsWithWebhook(), "events.allowPrivateEndpoints=true");
    static Api api;
    static String admin;
    /** A project with a webhook configuration and an event endpoint, so every kind of input reaches Postgres. */
    static String slug;
    static String endpointId;
    static String webhookPath;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Messaging.awaitPlugin(api, admin);
        slug = api.createProject(admin, "Bad input");
        String configuration = Messaging.configureWebhook(api, admin, slug, "hook", "http://127.0.0.1:9/hook");
        webhookPath = "/webhooks/webhook/" + Inbound.token(api, admin, slug, configuration);
        Reply endpoint = api.post("/api/v1/projects/" + slug + "/events/endpoints", admin,
                Map.of("url", "http://127.0.0.1:9/events", "kinds", List.of("*")));
        assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
        endpointId = endpoint.json().get("id").asText();
    }

    private static void assertNamed(Reply reply, int status, String field) {
        assertErrorShape(reply, status, status == 400 ? "invalid_parameter" : "validation_failed");
        assertThat(reply.json().at("/error/details/0/field").asText()).as(reply.toString()).isEqualTo(field);
    }

    private static void assertErrorShape(Reply reply, int status, String code) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().at("/error/code").asText()).isEqualTo(code);
        assertThat(reply.json().at("/error/message").asText()).isNotBlank();
        assertThat(reply.json().get("statusCode").asInt()).isEqualTo(status);
        assertThat(reply.text()).doesNotContain("Exception").doesNotContain("at dev.gatekit");
    }

    @Test
    void malformedJsonIsA400() {
        assertErrorShape(api.post("/api/v1/projects", admin, "{\"name\": "), 400, "malformed_json");
        assertErrorShape(api.post("/api/v1/projects", admin, "{\"name\": \"a\"} trailing"), 400, "malformed_json");
    }

    @Test
    void anUnknownFieldIsA422NamingIt() {
        Reply reply = api.post("/api/v1/projects", admin, "{\"name\":\"a\",\"colour\":\"red\"}");

        assertErrorShape(reply, 422, "validation_failed");
        assertThat(reply.json().at("/error/details/0/field").asText()).isEqualTo("colour");
    }

    @Test
    void aValueOfTheWrongTypeIsA422NamingIt() {
        Reply reply = api.post("/api/v1/projects", admin, "{\"name\":\"a\",\"settings\":[1,2]}");

        assertErrorShape(reply, 422, "validation_failed");
        assertThat(reply.json().at("/error/details/0/field").asText()).isEqualTo("settings");
    }

    @Test
    void aMissingBodyIsA422() {
        assertErrorShape(api.post("/api/v1/projects", admin, ""), 422, "validation_failed");
    }

    @Test
    void severalInvalidFieldsAreAllNamed() {
        Reply reply = api.post("/api/v1/projects/" + api.createProject(admin, "Many") + "/keys", admin,
                "{\"name\":\"\",\"scopes\":[],\"expiresInDays\":0}");

        assertErrorShape(reply, 422, "validation_failed");
        assertThat(reply.json().at("/error/details")).extracting(d -> d.get("field").asText())
                .containsExactlyInAnyOrder("expiresInDays", "name", "scopes");
    }

    @Test
    void aBodyOverTheLimitIsA413() {
        String big = "{\"name\":\"" + "x".repeat(5000) + "\"}";

        assertErrorShape(api.post("/api/v1/projects", admin, big), 413, "payload_too_large");
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413() {
        byte[] big = ("{\"name\":\"" + "x".repeat(5000) + "\"}").getBytes();
        HttpRequest.Builder request = api.request("/api/v1/projects", admin)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));

        assertErrorShape(api.send(request), 413, "payload_too_large");
    }

    @Test
    void uPlus0000InAJsonStringIsA422NamingTheField() {
        String nul = "a\\u0000b";
        String project = "/api/v1/projects/" + slug;
        String send = "{\"platform\":\"webhook\",\"target\":{\"type\":\"channel\",\"id\":\"%s\"},\"text\":\"%s\"}";

        assertNamed(api.post("/api/v1/projects", admin, "{\"name\":\"" + nul + "\"}"), 422, "name");
        assertNamed(api.patch(project, admin, "{\"description\":\"" + nul + "\"}"), 422, "description");
        assertNamed(api.post(project + "/keys", admin, "{\"name\":\"" + nul + "\",\"scopes\":[\"messages:send\"]}"), 422, "name");
        assertNamed(api.post(project + "/platforms", admin, "{\"platform\":\"webhook\",\"name\":\"" + nul
                + "\",\"credentials\":{\"signingSecret\":\"0123456789abcdef\"},\"config\":{\"url\":\"http://127.0.0.1:9/x\"}}"),
                422, "name");
        assertNamed(api.post(project + "/events/endpoints", admin, "{\"url\":\"http://127.0.0.1:9/" + nul + "\",\"kinds\":[\"*\"]}"),
                422, "url");
        assertNamed(api.post(project + "/messages/send", admin, send.formatted("ops", nul)), 422, "text");
        assertNamed(api.post(project + "/messages/send", admin, send.formatted(nul, "hello")), 422, "target.id");
        assertNamed(api.post(project + "/messages/send", admin, "{\"platform\":\"webhook\",\"target\":{\"type\":\"channel\","
                + "\"id\":\"ops\"},\"text\":\"hi\",\"metadata\":{\"tags\":[\"x\",\"" + nul + "\"]}}"), 422, "metadata.tags[1]");
        assertNamed(api.post(project + "/messages/batch", admin, "{\"messages\":[" + send.formatted("ops", "fine") + ","
                + send.formatted("ops", nul) + "]}"), 422, "messages[1].text");
        assertNamed(api.post(project + "/messages/send", admin, "{\"platform\":\"webhook\",\"target\":{\"type\":\"channel\","
                + "\"id\":\"ops\"},\"text\":\"hi\",\"metadata\":{\"k" + nul + "\":\"v\"}}"), 422, "metadata.ka\\u0000b");
    }

    @Test
    void anEscapedBackslashBeforeU0000IsPlainText() {
        Reply reply = api.post("/api/v1/projects", admin, "{\"name\":\"Backslash \\\\u0000 " + UUID.randomUUID() + "\"}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().get("name").asText()).startsWith("Backslash \\u0000");
    }

    @Test
    void uPlus0000InAQueryParameterIsA400NamingIt() {
        String messages = "/api/v1/projects/" + slug + "/messages?";

        assertNamed(api.get(messages + "platform=web%00hook", admin), 400, "platform");
        assertNamed(api.get(messages + "target=a%00b", admin), 400, "target");
        assertNamed(api.get(messages + "chat=%00", admin), 400, "chat");
        assertNamed(api.get(messages + "from=2024-01-01%00", admin), 400, "from");
        assertNamed(api.get("/api/v1/projects/" + slug + "/usage?groupBy=day%00", admin), 400, "groupBy");
        // Jetty refuses it in the path itself, before any of GateKit's code (a 400, in Jetty's own page).
        assertThat(api.get("/api/v1/projects/" + slug + "%00", admin).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/projects/" + slug + "/platforms/web%00hook", admin).status()).isEqualTo(400);
    }

    @Test
    void outOfRangeDatesAndCursorsAreA400NamingTheParameter() {
        String messages = "/api/v1/projects/" + slug + "/messages?";
        String usage = "/api/v1/projects/" + slug + "/usage?";
        String deliveries = "/api/v1/projects/" + slug + "/events/endpoints/" + endpointId + "/deliveries?";

        assertNamed(api.get(messages + "from=%2B99999-01-01T00:00:00Z", admin), 400, "from");
        assertNamed(api.get(messages + "to=-5000-01-01T00:00:00Z", admin), 400, "to");
        assertNamed(api.get(messages + "from=99999-01-01", admin), 400, "from");
        assertNamed(api.get(usage + "from=%2B99999-01-01T00:00:00Z", admin), 400, "from");
        assertNamed(api.get(usage + "to=%2B10000-01-01T00:00:00Z", admin), 400, "to");
        assertNamed(api.get(usage + "from=0000-12-31", admin), 400, "from");
        for (long micros : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1L << 60, 1L << 60}) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + UUID.randomUUID()).getBytes());
            assertNamed(api.get(messages + "cursor=" + cursor, admin), 400, "cursor");
            assertNamed(api.get(deliveries + "cursor=" + cursor, admin), 400, "cursor");
        }
        assertNamed(api.get(messages + "cursor=not-a-cursor", admin), 400, "cursor");
        assertNamed(api.get(deliveries + "cursor=%25%25", admin), 400, "cursor");
        assertNamed(api.get(messages + "limit=99999999999", admin), 400, "limit");
        assertNamed(api.get(deliveries + "limit=-1", admin), 400, "limit");
    }

    @Test
    void aChunkedBodyOverTheLimitIsA413OnTheWire() throws IOException {
        // Written by hand, so the body is sent chunked whatever an HTTP client would choose; the server
        // may answer and close before it has all of it, as it should.
        String messages = "/api/v1/projects/" + slug + "/messages";
        for (String path : List.of("/api/v1/projects", messages + "/send", messages + "/batch", webhookPath)) {
            try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
                socket.setSoTimeout(15_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + admin + "\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                try {
                    writeChunk(out, "{\"name\":\"");
                    for (int i = 0; i < 64; i++) {
                        writeChunk(out, "x".repeat(1024));
                    }
                    writeChunk(out, "\"}");
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException refusedMidway) {
                    // The answer was already on its way.
                }
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(response).as(path).startsWith("HTTP/1.1 413");
                assertThat(response.toLowerCase(Locale.ROOT)).as(path).contains("content-type: application/json");
                assertThat(response).as(path).contains("\"code\":\"payload_too_large\"").doesNotContain("Exception");
            }
        }
    }

    private static void writeChunk(OutputStream out, String chunk) throws IOException {
        byte[] bytes = chunk.getBytes(StandardCharsets.US_ASCII);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aWrongContentTypeIsA415() {
        Reply reply = api.send(api.request("/api/v1/projects", admin).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=a")));

        assertErrorShape(reply, 415, "unsupported_media_type");
    }

    @Test
    void anUnknownPathIsA404AndAWrongMethodA405() {
        assertErrorShape(api.get("/api/v1/nothing-here", admin), 404, "not_found");
        assertErrorShape(api.send(api.request("/api/v1/health", null).DELETE()), 405, "method_not_allowed");
    }
}
