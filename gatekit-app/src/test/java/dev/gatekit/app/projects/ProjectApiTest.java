package dev.gatekit.app.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.TestApp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class ProjectApiTest {

    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension();
    static Api api;
    static String admin;

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
    }

    @Test
    void createDerivesSlugFromNameAndReturnsTheProject() {
        String name = "Café Órders " + UUID.randomUUID().toString().substring(0, 6);
        Reply created = api.post("/api/v1/projects", admin, Map.of("name", name, "environment", "production", "description", "d"));

        assertThat(created.status()).isEqualTo(201);
        String slug = created.json().get("slug").asText();
        assertThat(slug).startsWith("cafe-orders-").matches("[a-z0-9-]+");
        assertThat(created.json().get("environment").asText()).isEqualTo("production");

        Reply fetched = api.get("/api/v1/projects/" + slug, admin);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("name").asText()).isEqualTo(name);
        assertThat(fetched.json().get("description").asText()).isEqualTo("d");
    }

    @Test
    void sameNameTwiceGetsDistinctSlugs() {
        String name = "Twin " + UUID.randomUUID().toString().substring(0, 6);
        String first = api.post("/api/v1/projects", admin, Map.of("name", name)).json().get("slug").asText();
        String second = api.post("/api/v1/projects", admin, Map.of("name", name)).json().get("slug").asText();

        assertThat(second).isNotEqualTo(first).isEqualTo(first + "-2");
    }

    @Test
    void environmentDefaultsToDevelopment() {
        Reply created = api.post("/api/v1/projects", admin, Map.of("name", "Env default " + UUID.randomUUID()));

        assertThat(created.json().get("environment").asText()).isEqualTo("development");
    }

    @Test
    void renameKeepsTheSlugUnlessANewOneIsAsked() {
        String slug = api.createProject(admin, "Rename me");

        Reply renamed = api.patch("/api/v1/projects/" + slug, admin, Map.of("name", "Renamed"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("slug").asText()).isEqualTo(slug);
        assertThat(renamed.json().get("name").asText()).isEqualTo("Renamed");

        String newSlug = "moved-" + UUID.randomUUID().toString().substring(0, 8);
        Reply moved = api.patch("/api/v1/projects/" + slug, admin, Map.of("slug", newSlug));
        assertThat(moved.json().get("slug").asText()).isEqualTo(newSlug);
        assertThat(api.get("/api/v1/projects/" + slug, admin).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + newSlug, admin).status()).isEqualTo(200);
    }

    @Test
    void takingAnotherProjectsSlugIsAConflict() {
        String first = api.createProject(admin, "Slug owner");
        String second = api.createProject(admin, "Slug taker");

        Reply patched = api.patch("/api/v1/projects/" + second, admin, Map.of("slug", first));
        assertThat(patched.status()).isEqualTo(409);
        assertThat(patched.json().at("/error/details/0/field").asText()).isEqualTo("slug");

        Reply created = api.post("/api/v1/projects", admin, Map.of("name", "x", "slug", first));
        assertThat(created.status()).isEqualTo(409);
    }

    @Test
    void settingsAndDefaultFlagRoundTrip() {
        String slug = api.createProject(admin, "Settings");

        Reply patched = api.patch("/api/v1/projects/" + slug, admin, Map.of("settings", Map.of("tz", "UTC", "n", 3), "isDefault", true));

        assertThat(patched.json().at("/settings/tz").asText()).isEqualTo("UTC");
        assertThat(patched.json().at("/settings/n").asInt()).isEqualTo(3);
        assertThat(api.get("/api/v1/projects/" + slug, admin).json().get("isDefault").asBoolean()).isTrue();
    }

    @Test
    void aProjectKeySeesOnlyItsOwnProject() {
        String mine = api.createProject(admin, "Mine");
        String theirs = api.createProject(admin, "Theirs");
        String key = api.createKey(admin, mine, "projects:read", "projects:write");

        Reply list = api.get("/api/v1/projects", key);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).hasSize(1);
        assertThat(list.json().get(0).get("slug").asText()).isEqualTo(mine);

        Reply other = api.get("/api/v1/projects/" + theirs, key);
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.text()).doesNotContain("Theirs");
        assertThat(api.patch("/api/v1/projects/" + theirs, key, Map.of("name", "hijacked")).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/projects/" + theirs, key).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + theirs, admin).json().get("name").asText()).startsWith("Theirs");
    }

    @Test
    void eachEndpointNeedsItsScope() {
        String slug = api.createProject(admin, "Scoped");
        String readOnly = api.createKey(admin, slug, "projects:read");
        String noProjectScopes = api.createKey(admin, slug, "messages:send");

        assertThat(api.get("/api/v1/projects", noProjectScopes).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/projects/" + slug, noProjectScopes).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/projects/" + slug, readOnly).status()).isEqualTo(200);
        Reply patch = api.patch("/api/v1/projects/" + slug, readOnly, Map.of("name", "nope"));
        assertThat(patch.status()).isEqualTo(403);
        assertThat(patch.errorCode()).isEqualTo("forbidden");
        assertThat(patch.json().at("/error/message").asText()).isEqualTo("Insufficient permissions");
        assertThat(patch.json().at("/error/details/0/problem").asText()).contains("projects:write");
        assertThat(api.delete("/api/v1/projects/" + slug, readOnly).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/projects", readOnly, Map.of("name", "n")).status()).isEqualTo(403);
    }

    @Test
    void aProjectKeyCannotCreateProjects() {
        String slug = api.createProject(admin, "Creator");
        String key = api.createKey(admin, slug, "projects:read", "projects:write");

        Reply created = api.post("/api/v1/projects", key, Map.of("name", "Child"));

        assertThat(created.status()).isEqualTo(403);
    }

    @Test
    void everyEndpointRefusesAnonymousCalls() {
        String slug = api.createProject(admin, "Anon");

        for (Reply reply : new Reply[] {
                api.get("/api/v1/projects", null),
                api.post("/api/v1/projects", null, Map.of("name", "x")),
                api.get("/api/v1/projects/" + slug, null),
                api.patch("/api/v1/projects/" + slug, null, Map.of("name", "x")),
                api.delete("/api/v1/projects/" + slug, null)}) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.json().at("/error/message").asText())
                    .isEqualTo("Authentication required. Provide either an API key or Bearer token.");
        }
    }

    @Test
    void deletingAProjectRemovesItAndStopsItsKeysAtOnce() {
        String slug = api.createProject(admin, "Doomed");
        String key = api.createKey(admin, slug, "projects:read", "projects:write");
        assertThat(api.get("/api/v1/projects/" + slug, key).status()).isEqualTo(200);

        Reply deleted = api.delete("/api/v1/projects/" + slug, key);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + slug, admin).status()).isEqualTo(404);
        Reply afterwards = api.get("/api/v1/projects", key);
        assertThat(afterwards.status()).isEqualTo(401);
    }

    @Test
    void invalidFieldsAreNamed() {
        Reply blank = api.post("/api/v1/projects", admin, Map.of("name", "  "));
        assertThat(blank.status()).isEqualTo(422);
        assertThat(blank.json().at("/error/details/0/field").asText()).isEqualTo("name");

        Reply badEnv = api.post("/api/v1/projects", admin, Map.of("name", "x", "environment", "moon"));
        assertThat(badEnv.status()).isEqualTo(422);
        assertThat(badEnv.json().at("/error/details/0/field").asText()).isEqualTo("environment");

        Reply badSlug = api.post("/api/v1/projects", admin, Map.of("name", "x", "slug", "Not A Slug"));
        assertThat(badSlug.status()).isEqualTo(422);
        assertThat(badSlug.json().at("/error/details/0/field").asText()).isEqualTo("slug");
    }
}
