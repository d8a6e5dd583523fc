package dev.gatekit.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every kind of bad request gets a 4xx in the one JSON error shape, never a 500 or a stack trace. */
@ExtendWith(DropwizardExtensionsSupport.class)
class BadInputTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "http.maxBodyBytes=4096");
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
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
