package dev.gatekit.plugin.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatekit.plugin.api.DeliveryStatusUpdate;
import dev.gatekit.plugin.api.InboundAttachment;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InteractionReceived;
import dev.gatekit.plugin.api.MessageReceived;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Meta's webhook: the verification handshake, X-Hub-Signature-256 on every notification, and the notifications' events. */
class WhatsAppInboundTest {

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    private PlatformClient client;

    @BeforeEach
    void open() throws Exception {
        client = new WhatsAppPlatformProvider().openClient(FakeGraphApi.configuration(Map.of()), TestPlatformContext.withoutServer());
    }

    @AfterEach
    void close() {
        client.close();
    }

    /** What Meta sends: the hex HMAC-SHA256 of the raw body, keyed with the app secret. Computed here, not by the plugin. */
    static String metaSignature(String appSecret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    static WebhookRequest post(String body, String signature) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        if (signature != null) {
            headers.put("X-Hub-Signature-256", List.of(signature));
        }
        return new WebhookRequest("POST", "/webhooks/whatsapp/token", headers, Map.of(), body.getBytes(StandardCharsets.UTF_8),
                "173.252.88.1", NOW);
    }

    static WebhookRequest signed(String body) throws Exception {
        return post(body, metaSignature(FakeGraphApi.APP_SECRET, body.getBytes(StandardCharsets.UTF_8)));
    }

    static WebhookRequest handshake(String mode, String token, String challenge) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("hub.mode", List.of(mode));
        query.put("hub.verify_token", List.of(token));
        query.put("hub.challenge", List.of(challenge));
        return new WebhookRequest("GET", "/webhooks/whatsapp/token", Map.of(), query, null, "173.252.88.1", NOW);
    }

    /** A notification as the Cloud API posts it, around one {@code value}. */
    static String notification(String value) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{
                "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
                %s},"field":"messages"}]}]}""".formatted(value);
    }

    static String inbound(String message) {
        return notification("""
                "contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],
                "messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=",
                "timestamp":"1763632800",%s}]""".formatted(message));
    }

    private List<InboundEvent> accepted(String body) throws Exception {
        WebhookResult result = client.handleWebhook(signed(body));
        assertThat(result.authentic()).as(result.toString()).isTrue();
        assertThat(result.httpStatus()).isEqualTo(200);
        return result.events();
    }

    @Test
    void theHandshakeEchoesTheChallengeOnlyForTheVerifyToken() {
        WebhookResult verified = client.handleWebhook(handshake("subscribe", FakeGraphApi.VERIFY_TOKEN, "1158201444"));
        WebhookResult wrongToken = client.handleWebhook(handshake("subscribe", "guessed", "1158201444"));
        WebhookResult wrongMode = client.handleWebhook(handshake("unsubscribe", FakeGraphApi.VERIFY_TOKEN, "1158201444"));

        assertThat(verified.httpStatus()).isEqualTo(200);
        assertThat(new String(verified.responseBody(), StandardCharsets.UTF_8)).isEqualTo("1158201444");
        assertThat(verified.contentType()).startsWith("text/plain");
        assertThat(verified.events()).isEmpty();
        assertThat(wrongToken.httpStatus()).isEqualTo(403);
        assertThat(wrongToken.authentic()).isFalse();
        assertThat(new String(wrongToken.responseBody(), StandardCharsets.UTF_8)).doesNotContain("1158201444");
        assertThat(wrongMode.httpStatus()).isEqualTo(403);
    }

    @Test
    void theSignatureIsTheHmacOfTheRawBodyWithTheAppSecret() {
        byte[] body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
        // Computed with: printf '%s' "$body" | openssl dgst -sha256 -hmac "$APP_SECRET"
        assertThat(HubSignature.sign(FakeGraphApi.APP_SECRET, body))
                .isEqualTo("sha256=969012defa0a21971b1ca1f3fbc8b4a9d8a2d10789614ab0618e5fd8230368c8");
        assertThat(HubSignature.verify(FakeGraphApi.APP_SECRET, body,
                "sha256=969012DEFA0A21971B1CA1F3FBC8B4A9D8A2D10789614AB0618E5FD8230368C8")).isTrue();
    }

    @Test
    void aForgedUnsignedOrAlteredNotificationIsRefusedWithNoEvents() throws Exception {
        String body = inbound("\"type\":\"text\",\"text\":{\"body\":\"transfer the money\"}");
        WebhookRequest forged = post(body, metaSignature("not-the-app-secret", body.getBytes(StandardCharsets.UTF_8)));
        WebhookRequest unsigned = post(body, null);
        String genuineSignature = metaSignature(FakeGraphApi.APP_SECRET, body.getBytes(StandardCharsets.UTF_8));
        WebhookRequest altered = post(body.replace("transfer", "TRANSFER"), genuineSignature);

        for (WebhookRequest request : List.of(forged, unsigned, altered)) {
            WebhookResult result = client.handleWebhook(request);
            assertThat(result.authentic()).isFalse();
            assertThat(result.httpStatus()).isEqualTo(401);
            assertThat(result.events()).isEmpty();
        }
        assertThat(client.handleWebhook(post(body, genuineSignature)).authentic()).isTrue();
    }

    @Test
    void aTextMessageBecomesAMessageFromTheSenderWithTheirName() throws Exception {
        String body = inbound("\"type\":\"text\",\"text\":{\"body\":\"Does it come in another color?\"}");

        assertThat(accepted(body)).singleElement().isInstanceOfSatisfying(MessageReceived.class, m -> {
            assertThat(m.eventId()).isEqualTo("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=");
            assertThat(m.platformMessageId()).isEqualTo(m.eventId());
            assertThat(m.chatId()).isEqualTo("16505551234");
            assertThat(m.senderId()).isEqualTo("16505551234");
            assertThat(m.senderName()).isEqualTo("Sheena Nelson");
            assertThat(m.text()).isEqualTo("Does it come in another color?");
            assertThat(m.receivedAt()).isEqualTo(Instant.ofEpochSecond(1763632800));
            assertThat(m.rawPayload()).isEqualTo(body);
        });
    }

    @Test
    void mediaArriveAsFileIdsWithTheirCaptionAndAReplyNamesItsMessage() throws Exception {
        String image = inbound("""
                "context":{"from":"15550783881","id":"wamid.OUTBOUND1"},"type":"image",
                "image":{"caption":"This one","mime_type":"image/jpeg","sha256":"abc=","id":"1003383421387256"}""");
        String document = inbound("""
                "type":"document","document":{"filename":"receipt.pdf","mime_type":"application/pdf","sha256":"def=","id":"2003383421387256"}""");

        assertThat(accepted(image)).singleElement().isInstanceOfSatisfying(MessageReceived.class, m -> {
            assertThat(m.text()).isEqualTo("This one");
            assertThat(m.replyToId()).isEqualTo("wamid.OUTBOUND1");
            assertThat(m.attachments()).containsExactly(new InboundAttachment("1003383421387256", null, null, "image/jpeg", null));
        });
        assertThat(accepted(document)).singleElement().isInstanceOfSatisfying(MessageReceived.class, m -> {
            assertThat(m.text()).isNull();
            assertThat(m.attachments()).containsExactly(
                    new InboundAttachment("2003383421387256", null, "receipt.pdf", "application/pdf", null));
        });
    }

    @Test
    void buttonAndListRepliesAndTemplateQuickRepliesAreButtonInteractions() throws Exception {
        String button = inbound("""
                "context":{"from":"15550783881","id":"wamid.ASKED"},"type":"interactive",
                "interactive":{"type":"button_reply","button_reply":{"id":"refund:approve","title":"Approve"}}""");
        String list = inbound("""
                "context":{"from":"15550783881","id":"wamid.LIST"},"type":"interactive",
                "interactive":{"type":"list_reply","list_reply":{"id":"slot-2","title":"Mon 11:00","description":""}}""");
        String quickReply = inbound("""
                "context":{"from":"15550783881","id":"wamid.TEMPLATE"},"type":"button","button":{"payload":"track-42","text":"Track"}""");

        assertThat(accepted(button)).singleElement().isInstanceOfSatisfying(InteractionReceived.class, i -> {
            assertThat(i.kind()).isEqualTo(InteractionReceived.Kind.BUTTON);
            assertThat(i.value()).isEqualTo("refund:approve");
            assertThat(i.userId()).isEqualTo("16505551234");
            assertThat(i.userName()).isEqualTo("Sheena Nelson");
            assertThat(i.chatId()).isEqualTo("16505551234");
            assertThat(i.platformMessageId()).isEqualTo("wamid.ASKED");
        });
        assertThat(accepted(list)).singleElement().isInstanceOfSatisfying(InteractionReceived.class,
                i -> assertThat(i.value()).isEqualTo("slot-2"));
        assertThat(accepted(quickReply)).singleElement().isInstanceOfSatisfying(InteractionReceived.class,
                i -> assertThat(i.value()).isEqualTo("track-42"));
    }

    @Test
    void aLocationAndSharedContactsBecomeText() throws Exception {
        String location = inbound("""
                "type":"location","location":{"latitude":37.483307,"longitude":-122.148981,"name":"Philz Coffee",
                "address":"101 Forest Ave, Palo Alto, CA 94301"}""");
        String contacts = inbound("""
                "type":"contacts","contacts":[{"name":{"formatted_name":"Ada Lovelace","first_name":"Ada"},
                "phones":[{"phone":"+44 20 7946 0000","wa_id":"442079460000","type":"WORK"}]}]""");

        assertThat(accepted(location)).singleElement().isInstanceOfSatisfying(MessageReceived.class, m -> {
            assertThat(m.text()).isEqualTo("Location: Philz Coffee, 101 Forest Ave, Palo Alto, CA 94301 (37.483307, -122.148981)");
            assertThat(m.attachments()).singleElement()
                    .satisfies(a -> assertThat(a.url()).isEqualTo(URI.create("geo:37.483307,-122.148981")));
        });
        assertThat(accepted(contacts)).singleElement().isInstanceOfSatisfying(MessageReceived.class,
                m -> assertThat(m.text()).isEqualTo("Contact: Ada Lovelace +44 20 7946 0000"));
    }

    @Test
    void statusesBecomeDeliveryStatusUpdatesOfTheSentMessage() throws Exception {
        String body = notification("""
                "statuses":[
                  {"id":"wamid.SENT1","status":"sent","timestamp":"1763632801","recipient_id":"16505551234",
                   "conversation":{"id":"c1","origin":{"type":"service"}},"pricing":{"billable":true,"pricing_model":"PMP","category":"service"}},
                  {"id":"wamid.SENT1","status":"delivered","timestamp":"1763632802","recipient_id":"16505551234"},
                  {"id":"wamid.SENT1","status":"read","timestamp":"1763632803","recipient_id":"16505551234"},
                  {"id":"wamid.SENT2","status":"failed","timestamp":"1763632804","recipient_id":"16505551234",
                   "errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message",
                     "error_data":{"details":"Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
                     "href":"https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]}]""");

        List<InboundEvent> events = accepted(body);

        assertThat(events).hasSize(4).allSatisfy(e -> assertThat(e).isInstanceOf(DeliveryStatusUpdate.class));
        List<DeliveryStatusUpdate> updates = events.stream().map(DeliveryStatusUpdate.class::cast).toList();
        assertThat(updates).extracting(DeliveryStatusUpdate::status).containsExactly(DeliveryStatusUpdate.Status.SENT,
                DeliveryStatusUpdate.Status.DELIVERED, DeliveryStatusUpdate.Status.READ, DeliveryStatusUpdate.Status.FAILED);
        assertThat(updates).extracting(DeliveryStatusUpdate::eventId)
                .containsExactly("wamid.SENT1:sent", "wamid.SENT1:delivered", "wamid.SENT1:read", "wamid.SENT2:failed");
        assertThat(updates.get(0).platformMessageId()).isEqualTo("wamid.SENT1");
        assertThat(updates.get(2).receivedAt()).isEqualTo(Instant.ofEpochSecond(1763632803));
        assertThat(updates.get(3).detail()).isEqualTo("131047 Re-engagement message: Message failed to send because more than 24 hours "
                + "have passed since the customer last replied to this number.");
    }

    @Test
    void whatCarriesNoEventIsAcceptedQuietly() throws Exception {
        String reaction = inbound("\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.X\",\"emoji\":\"\\uD83D\\uDC4D\"}");
        String otherField = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"event":"APPROVED",
                "message_template_id":1,"message_template_name":"order_update"},"field":"message_template_status_update"}]}]}""";

        assertThat(accepted(reaction)).isEmpty();
        assertThat(accepted(otherField)).isEmpty();
        assertThat(accepted("not json")).isEmpty();
    }

    @Test
    void otherMethodsAreRefused() {
        WebhookResult result = client.handleWebhook(new WebhookRequest("PUT", "/webhooks/whatsapp/token", Map.of(), Map.of(), null, null, NOW));
        assertThat(result.httpStatus()).isEqualTo(405);
    }
}
