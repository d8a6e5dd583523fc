package dev.gatekit.app.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.app.GateKitConfiguration;
import dev.gatekit.app.support.Api;
import dev.gatekit.app.support.Api.Reply;
import dev.gatekit.app.support.Messaging;
import dev.gatekit.app.support.Receiver;
import dev.gatekit.app.support.TestApp;
import dev.gatekit.app.webhooks.Inbound;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The message history: outbound and inbound together, newest first, cursor pages that return every row once, filters, scopes. */
@ExtendWith(DropwizardExtensionsSupport.class)
class MessageHistoryTest {

    static final Receiver RECEIVER = new Receiver();
    static final DropwizardAppExtension<GateKitConfiguration> APP = TestApp.extension(
            "plugins.directory=" + Messaging.pluginsWithWebhook(), "plugins.pollIntervalMillis=200");
    static Api api;
    static String admin;
    /** One project with 13 outbound messages (all delivered) and 12 inbound events, shared by the read-only tests. */
    static String slug;
    static Set<String> outboundIds = new HashSet<>();
    static Set<String> inboundIds = new HashSet<>();

    @BeforeAll
    static void setUp() {
        api = TestApp.api(APP);
        admin = api.mintAdminKey();
        Messaging.awaitPlugin(api, admin);
        slug = api.createProject(admin, "History");
        String config = Messaging.configureWebhook(api, admin, slug, "hook", RECEIVER.url("/out-" + UUID.randomUUID()));
        String webhookPath = "/webhooks/webhook/" + Inbound.token(api, admin, slug, config);
        for (int i = 0; i < 13; i++) {
            Reply sent = api.post("/api/v1/projects/" + slug + "/messages/send", admin,
                    Map.of("platform", "webhook", "target", Map.of("type", "user", "id", "t-" + i), "text", "out " + i));
            outboundIds.add(sent.json().get("jobId").asText());
        }
        for (int i = 0; i < 12; i++) {
            Inbound.postSigned(api, webhookPath, Inbound.message("evt-" + i + "-" + UUID.randomUUID(), "c-" + (i % 3), "in " + i));
        }
        for (String id : outboundIds) {
            Messaging.awaitFinal(api, admin, slug, id, Duration.ofSeconds(30));
        }
        inboundIds.addAll(ids(all("direction=inbound")));
    }

    @AfterAll
    static void tearDown() {
        RECEIVER.close();
    }

    private static String path(String query) {
        return "/api/v1/projects/" + slug + "/messages" + (query.isEmpty() ? "" : "?" + query);
    }

    /** Every item, following cursors with a small page size. */
    private static List<JsonNode> all(String query) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            Reply reply = api.get(path(query + (query.isEmpty() ? "" : "&") + "limit=7" + (cursor == null ? "" : "&cursor=" + cursor)), admin);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode page = reply.json();
            assertThat(page.get("messages").size()).isLessThanOrEqualTo(7);
            page.get("messages").forEach(items::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return items;
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(i -> i.get("id").asText()).toList();
    }

    @Test
    void pagesReturnEveryRowOnceNewestFirst() {
        List<JsonNode> items = all("");

        List<String> ids = ids(items);
        assertThat(ids).hasSize(25).doesNotHaveDuplicates();
        Set<String> expected = new HashSet<>(outboundIds);
        expected.addAll(inboundIds);
        assertThat(new HashSet<>(ids)).isEqualTo(expected);
        assertThat(inboundIds).hasSize(12);
        for (int i = 1; i < items.size(); i++) {
            assertThat(Instant.parse(items.get(i - 1).get("createdAt").asText()))
                    .isAfterOrEqualTo(Instant.parse(items.get(i).get("createdAt").asText()));
        }
    }

    @Test
    void filtersNarrowTheHistory() {
        assertThat(new HashSet<>(ids(all("direction=outbound")))).isEqualTo(outboundIds);
        assertThat(new HashSet<>(ids(all("direction=inbound")))).isEqualTo(inboundIds);
        assertThat(all("state=delivered")).hasSize(13).allSatisfy(i -> assertThat(i.get("state").asText()).isEqualTo("delivered"));
        assertThat(all("state=received")).hasSize(12);
        assertThat(all("state=failed")).isEmpty();
        assertThat(all("platform=webhook")).hasSize(25);
        assertThat(all("platform=telegram")).isEmpty();
        List<JsonNode> toT3 = all("target=t-3");
        assertThat(toT3).hasSize(1);
        assertThat(toT3.get(0).get("text").asText()).isEqualTo("out 3");
        assertThat(toT3.get(0).at("/targets/0/targetId").asText()).isEqualTo("t-3");
        assertThat(toT3.get(0).at("/targets/0/state").asText()).isEqualTo("delivered");
        assertThat(all("chat=c-1")).hasSize(4).allSatisfy(i -> assertThat(i.get("chatId").asText()).isEqualTo("c-1"));
        assertThat(all("from=" + Instant.now().plusSeconds(3600))).isEmpty();
        assertThat(all("to=" + Instant.now().minusSeconds(3600))).isEmpty();
        assertThat(all("from=" + Instant.now().minusSeconds(3600) + "&to=" + Instant.now().plusSeconds(60))).hasSize(25);
    }

    @Test
    void oneMessageEitherDirectionAndTheSendApiPathsStillWork() {
        String outbound = outboundIds.iterator().next();
        String inbound = inboundIds.iterator().next();

        JsonNode out = api.get(path("").replace("?", "") + "/" + outbound, admin).json();
        JsonNode in = api.get(path("") + "/" + inbound, admin).json();

        assertThat(out.get("direction").asText()).isEqualTo("outbound");
        assertThat(out.get("targets")).hasSize(1);
        assertThat(in.get("direction").asText()).isEqualTo("inbound");
        assertThat(in.get("rawPayload").asText()).contains("chatId");
        assertThat(api.get(path("") + "/" + UUID.randomUUID(), admin).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + slug + "/messages/status/" + outbound, admin).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + slug + "/messages/queue/metrics", admin).status()).isEqualTo(200);
    }

    @Test
    void badFiltersAreRefusedWithTheField() {
        assertThat(api.get(path("limit=0"), admin).status()).isEqualTo(400);
        assertThat(api.get(path("limit=201"), admin).status()).isEqualTo(400);
        assertThat(api.get(path("direction=sideways"), admin).json().at("/error/details/0/field").asText()).isEqualTo("direction");
        assertThat(api.get(path("state=exploded"), admin).status()).isEqualTo(400);
        assertThat(api.get(path("from=yesterday"), admin).status()).isEqualTo(400);
        assertThat(api.get(path("cursor=bm9wZQ"), admin).json().at("/error/details/0/field").asText()).isEqualTo("cursor");
    }

    @Test
    void scopes() {
        String reader = api.createKey(admin, slug, "messages:read");
        String sender = api.createKey(admin, slug, "messages:send");
        String other = api.createProject(admin, "History other");
        String stranger = api.createKey(admin, other, "messages:read");
        String one = outboundIds.iterator().next();

        assertThat(api.get(path(""), null).status()).isEqualTo(401);
        assertThat(api.get(path(""), sender).status()).isEqualTo(403);
        assertThat(api.get(path(""), stranger).status()).isEqualTo(404);
        assertThat(api.get(path(""), reader).status()).isEqualTo(200);
        assertThat(api.get(path("") + "/" + one, null).status()).isEqualTo(401);
        assertThat(api.get(path("") + "/" + one, sender).status()).isEqualTo(403);
        assertThat(api.get(path("") + "/" + one, stranger).status()).isEqualTo(404);
        assertThat(api.get(path("") + "/" + one, reader).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + other + "/messages/" + one, admin).status()).isEqualTo(404);
    }
}
