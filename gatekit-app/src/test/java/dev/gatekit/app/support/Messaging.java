package dev.gatekit.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.plugins.PluginJars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Steps the messaging tests share: a project with a webhook platform pointing at a receiver, and waiting on jobs. */
public final class Messaging {

    public static final String SIGNING_SECRET = "messaging-test-signing-secret-0001";
    public static final Set<String> FINAL_STATES = Set.of("delivered", "failed");

    private Messaging() {
    }

    /** A temporary plugins directory holding the real webhook plugin jar. */
    public static Path pluginsWithWebhook() {
        return PluginJars.folderWith("gatekit.test.webhookPluginJar");
    }

    public static void awaitPlugin(Api api, String key) {
        Poll.until(Duration.ofSeconds(30), () -> api.get("/api/v1/platforms/supported", key).text().contains("\"webhook\""));
    }

    /** Configures the webhook platform for the project; returns the configuration id. */
    public static String configureWebhook(Api api, String key, String slug, String name, String url) {
        Api.Reply reply = api.post("/api/v1/projects/" + slug + "/platforms", key, Map.of(
                "platform", "webhook", "name", name,
                "credentials", Map.of("signingSecret", SIGNING_SECRET),
                "config", Map.of("url", url)));
        if (reply.status() != 201) {
            throw new IllegalStateException("Could not configure the webhook platform: " + reply);
        }
        return reply.json().get("id").asText();
    }

    /** Sends a text to user {@code u} through the project's webhook platform; returns the job id. */
    public static String sendText(Api api, String key, String slug, String text) {
        Api.Reply reply = api.post("/api/v1/projects/" + slug + "/messages/send", key, Map.of("platform", "webhook",
                "target", Map.of("type", "user", "id", "u"), "text", text));
        if (reply.status() != 202) {
            throw new IllegalStateException("Send refused: " + reply);
        }
        return reply.json().get("jobId").asText();
    }

    public static JsonNode status(Api api, String key, String slug, String jobId) {
        return api.get("/api/v1/projects/" + slug + "/messages/status/" + jobId, key).json();
    }

    /** Polls until the job reaches a final state; returns its status. */
    public static JsonNode awaitFinal(Api api, String key, String slug, String jobId, Duration deadline) {
        JsonNode[] last = new JsonNode[1];
        Poll.until(deadline, () -> {
            last[0] = status(api, key, slug, jobId);
            return FINAL_STATES.contains(last[0].get("state").asText());
        });
        return last[0];
    }
}
