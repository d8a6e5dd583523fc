package dev.gatekit.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class AdminPortTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension();
    /** Outside development, no token configured: nothing on the admin port may run. */
    static final DropwizardAppExtension<GateKitConfiguration> LOCKED = TestApp.extension("adminAuth.token=");
    static Api api;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
    }

    private static HttpRequest.Builder task(DropwizardAppExtension<GateKitConfiguration> app, String task) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort() + "/tasks/" + task));
    }

    private static boolean adminKeyExists(String name) {
        return api.adminTask("list-admin-keys", "").contains(name);
    }

    @Test
    void aTaskWithoutTheTokenIsRefusedAndDoesNotRun() {
        String name = "no-token-" + UUID.randomUUID();

        Reply reply = api.send(task(APP, "mint-admin-key?name=" + name).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(reply.json().at("/error/message").asText()).contains("GATEKIT_ADMIN_TOKEN");
        assertThat(adminKeyExists(name)).isFalse();
    }

    @Test
    void aWrongTokenIsRefused() {
        String name = "wrong-token-" + UUID.randomUUID();

        Reply reply = api.send(task(APP, "mint-admin-key?name=" + name).header("Authorization", "Bearer " + TestApp.ADMIN_TOKEN + "x")
                .POST(HttpRequest.BodyPublishers.noBody()));
        Reply basic = api.send(task(APP, "list-admin-keys").header("Authorization", "Basic " + TestApp.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));
        Reply health = api.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck"))
                .header("Authorization", "Bearer nope").GET());

        assertThat(reply.status()).isEqualTo(401);
        assertThat(basic.status()).isEqualTo(401);
        assertThat(health.status()).isEqualTo(401);
        assertThat(adminKeyExists(name)).isFalse();
    }

    @Test
    void aCrossSitePostFromABrowserIsRefusedEvenWithTheToken() {
        String name = "cross-site-" + UUID.randomUUID();

        // What a web page's fetch(…, {method: "POST", mode: "no-cors", body: "x"}) sends: no preflight, an Origin.
        Reply plain = api.send(task(APP, "mint-admin-key?name=" + name).header("Origin", "https://evil.example")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")));
        Reply withToken = api.send(task(APP, "mint-admin-key?name=" + name).header("Origin", "http://localhost:3000")
                .header("Authorization", "Bearer " + TestApp.ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(plain.status()).isEqualTo(403);
        assertThat(plain.json().at("/error/message").asText()).contains("Origin");
        assertThat(withToken.status()).isEqualTo(403);
        assertThat(adminKeyExists(name)).isFalse();
    }

    @Test
    void theRightTokenRunsTasksAndReadsHealthChecks() {
        String name = "right-token-" + UUID.randomUUID();

        String key = api.adminTask("mint-admin-key", "name=" + name);

        assertThat(key).startsWith("gk_admin_");
        assertThat(adminKeyExists(name)).isTrue();
        assertThat(api.send(api.adminRequest("/healthcheck").GET()).status()).isEqualTo(200);
    }

    @Test
    void withoutAConfiguredTokenTheAdminPortRefusesEverything() {
        Reply reply = api.send(task(LOCKED, "list-admin-keys").header("Authorization", "Bearer " + TestApp.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().at("/error/message").asText()).contains("locked");
    }
}
