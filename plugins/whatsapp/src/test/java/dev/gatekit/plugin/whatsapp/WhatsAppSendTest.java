package dev.gatekit.plugin.whatsapp;

import static dev.gatekit.plugin.whatsapp.FakeGraphApi.MEDIA;
import static dev.gatekit.plugin.whatsapp.FakeGraphApi.MESSAGES;
import static dev.gatekit.plugin.whatsapp.FakeGraphApi.WAIT;
import static dev.gatekit.plugin.whatsapp.FakeGraphApi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.MessageTemplate;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.SendOptions;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.TargetType;
import dev.gatekit.plugin.api.TemplateButtonParameter;
import dev.gatekit.plugin.api.TemplateParameter;
import dev.gatekit.plugin.api.TextFormat;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The plugin against a fake Graph API: exactly what each send puts on the wire, and what Meta's answers become. */
@Timeout(60)
class WhatsAppSendTest {

    static final String TO = "+49 151 2345-6789";
    static final String WA_ID = "4915123456789";

    private FakePlatformServer server;
    private TestPlatformContext context;
    private PlatformClient client;

    @BeforeEach
    void open() throws Exception {
        server = FakePlatformServer.start();
        context = TestPlatformContext.forServer(server);
        client = new WhatsAppPlatformProvider().openClient(FakeGraphApi.configuration(Map.of()), context);
        server.stub(MESSAGES, FakeGraphApi.sent("wamid.HBgLNDkxNTEyMzQ1Njc4ORUCABEYEjQ1", WA_ID));
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private static OutboundMessage message(MessageContent content) {
        return message(content, null);
    }

    private static OutboundMessage message(MessageContent content, SendOptions options) {
        return new OutboundMessage("msg-1", Target.user(TO), content, options, Map.of());
    }

    private static MessageContent withButtons(String text, Button... buttons) {
        return new MessageContent(text, TextFormat.PLAIN, null, List.of(buttons), null);
    }

    private static MessageContent withAttachments(String text, Attachment... attachments) {
        return new MessageContent(text, TextFormat.PLAIN, List.of(attachments), null, null);
    }

    @Test
    void aTextGoesToTheMessagesEndpointWithTheTokenAndTheReceiptCarriesTheWamid() throws Exception {
        DeliveryReceipt receipt = client.send(message(MessageContent.text("Your order shipped")));

        RecordedRequest request = server.takeRequest(WAIT);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v26.0/106540352242922/messages");
        assertThat(request.header("Authorization")).contains("Bearer " + FakeGraphApi.ACCESS_TOKEN);
        assertThat(request.header("Content-Type")).contains("application/json");
        assertThat(json(request)).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"text",
                 "text":{"body":"Your order shipped"}}"""));
        assertThat(receipt.platformMessageIds()).containsExactly("wamid.HBgLNDkxNTEyMzQ1Njc4ORUCABEYEjQ1");
        assertThat(receipt.details()).containsEntry("waId", WA_ID);
    }

    @Test
    void aLinkPreviewIsAskedForOnlyOnRequestAndAReplyCarriesItsContext() throws Exception {
        client.send(message(MessageContent.text("See https://example.com/track"),
                new SendOptions("wamid.ORIGINAL", null, false, true)));

        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"text",
                 "text":{"preview_url":true,"body":"See https://example.com/track"},"context":{"message_id":"wamid.ORIGINAL"}}"""));
    }

    @Test
    void theGraphApiVersionAndBaseUrlComeFromTheConfiguration() throws Exception {
        try (FakePlatformServer other = FakePlatformServer.start()) {
            other.stub("/v25\\.0/.*", FakeGraphApi.sent("wamid.V25", WA_ID));
            PlatformClient configured = new WhatsAppPlatformProvider().openClient(
                    FakeGraphApi.configuration(Map.of("graphApiVersion", "v25.0", "apiBaseUrl", other.baseUri().toString())),
                    TestPlatformContext.withoutServer());
            try {
                assertThat(configured.send(message(MessageContent.text("hi"))).platformMessageIds()).containsExactly("wamid.V25");
                assertThat(other.takeRequest(WAIT).path()).isEqualTo("/v25.0/106540352242922/messages");
            } finally {
                configured.close();
            }
        }
    }

    @Test
    void aLoneImageByUrlTakesTheTextAsItsCaption() throws Exception {
        client.send(message(withAttachments("The new shelf", Attachment.fromUrl(URI.create("https://cdn.example.com/shelf.jpg"), null, "image/jpeg"))));

        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"image",
                 "image":{"link":"https://cdn.example.com/shelf.jpg","caption":"The new shelf"}}"""));
    }

    @Test
    void uploadedBytesGoToTheMediaEndpointFirstAndTheMessageSendsTheirId() throws Exception {
        server.stub(MEDIA, FakeGraphApi.uploaded("1037543291543636"));
        byte[] pdf = "%PDF-1.7 invoice".getBytes(StandardCharsets.US_ASCII);

        DeliveryReceipt receipt = client.send(message(withAttachments(null, Attachment.inline(pdf, "invoice-42.pdf", "application/pdf"))));

        RecordedRequest upload = server.takeRequest(WAIT);
        assertThat(upload.path()).isEqualTo("/v26.0/106540352242922/media");
        assertThat(upload.header("Authorization")).contains("Bearer " + FakeGraphApi.ACCESS_TOKEN);
        String contentType = upload.header("Content-Type").orElseThrow();
        assertThat(contentType).startsWith("multipart/form-data; boundary=");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + "boundary=".length());
        assertThat(upload.bodyAsString()).isEqualTo("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"type\"\r\n\r\napplication/pdf\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"invoice-42.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n"
                + "%PDF-1.7 invoice\r\n"
                + "--" + boundary + "--\r\n");
        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"document",
                 "document":{"id":"1037543291543636","filename":"invoice-42.pdf"}}"""));
        assertThat(receipt.platformMessageIds()).hasSize(1);
    }

    static Stream<Arguments> mediaKinds() {
        return Stream.of(
                Arguments.of("image/png", "a.png", "image"),
                Arguments.of("image/webp", "s.webp", "sticker"),
                Arguments.of("video/mp4", "v.mp4", "video"),
                Arguments.of("audio/ogg; codecs=opus", "voice.ogg", "audio"),
                Arguments.of(null, "song.mp3", "audio"),
                Arguments.of("image/gif", "anim.gif", "document"),
                Arguments.of("application/zip", "logs.zip", "document"));
    }

    @ParameterizedTest
    @MethodSource("mediaKinds")
    void theMediaTypeFollowsTheMimeTypeElseTheExtension(String mimeType, String filename, String expectedType) throws Exception {
        client.send(message(withAttachments(null, Attachment.fromUrl(URI.create("https://cdn.example.com/" + filename), null, mimeType))));

        Map<String, Object> sent = json(server.takeRequest(WAIT));
        assertThat(sent.get("type")).isEqualTo(expectedType);
        assertThat(sent.get(expectedType)).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.map(String.class, Object.class))
                .containsEntry("link", "https://cdn.example.com/" + filename);
    }

    @Test
    void audioCannotCarryACaptionSoTheTextFollowsItAndSeveralAttachmentsKeepTheirOrder() throws Exception {
        DeliveryReceipt receipt = client.send(message(withAttachments("Listen to both",
                Attachment.fromUrl(URI.create("https://cdn.example.com/a.mp3"), null, "audio/mpeg"),
                new Attachment(URI.create("https://cdn.example.com/b.jpg"), null, null, "image/jpeg", "Cover"))));

        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"audio",
                 "audio":{"link":"https://cdn.example.com/a.mp3"}}"""));
        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"image",
                 "image":{"link":"https://cdn.example.com/b.jpg","caption":"Cover"}}"""));
        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"text",
                 "text":{"body":"Listen to both"}}"""));
        assertThat(receipt.platformMessageIds()).hasSize(3);
    }

    @Test
    void upToThreeButtonsAreReplyButtonsUnderTheText() throws Exception {
        client.send(message(withButtons("Approve the refund?", Button.action("Approve", "refund:approve"),
                Button.action("Reject", "refund:reject"))));

        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"interactive",
                 "interactive":{"type":"button","body":{"text":"Approve the refund?"},
                   "action":{"buttons":[{"type":"reply","reply":{"id":"refund:approve","title":"Approve"}},
                                        {"type":"reply","reply":{"id":"refund:reject","title":"Reject"}}]}}}"""));
    }

    @Test
    void moreThanThreeButtonsBecomeAListAndAnImageByUrlHeadsReplyButtons() throws Exception {
        client.send(message(withButtons("Pick a slot", Button.action("Mon 9:00", "slot-1"), Button.action("Mon 11:00", "slot-2"),
                Button.action("Tue 9:00", "slot-3"), Button.action("Tue 11:00", "slot-4"))));
        client.send(message(new MessageContent("Like it?", TextFormat.PLAIN,
                List.of(Attachment.fromUrl(URI.create("https://cdn.example.com/sofa.jpg"), null, "image/jpeg")),
                List.of(Button.action("Yes", "yes")), null)));

        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"interactive",
                 "interactive":{"type":"list","body":{"text":"Pick a slot"},
                   "action":{"button":"Choose","sections":[{"rows":[{"id":"slot-1","title":"Mon 9:00"},{"id":"slot-2","title":"Mon 11:00"},
                     {"id":"slot-3","title":"Tue 9:00"},{"id":"slot-4","title":"Tue 11:00"}]}]}}}"""));
        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"interactive",
                 "interactive":{"type":"button","header":{"type":"image","image":{"link":"https://cdn.example.com/sofa.jpg"}},
                   "body":{"text":"Like it?"},"action":{"buttons":[{"type":"reply","reply":{"id":"yes","title":"Yes"}}]}}}"""));
    }

    @Test
    void oneLinkButtonIsACallToActionUrl() throws Exception {
        client.send(message(withButtons("Track your parcel", Button.link("Track", URI.create("https://example.com/t/42")))));

        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"interactive",
                 "interactive":{"type":"cta_url","body":{"text":"Track your parcel"},
                   "action":{"name":"cta_url","parameters":{"display_text":"Track","url":"https://example.com/t/42"}}}}"""));
    }

    @Test
    void aTemplateCarriesItsLanguageAndEveryKindOfParameter() throws Exception {
        MessageTemplate template = new MessageTemplate("order_update", "en_US",
                List.of(new TemplateParameter(TemplateParameter.Type.IMAGE, "https://cdn.example.com/parcel.png", null)),
                List.of(TemplateParameter.text("Ada"), TemplateParameter.named("order_id", "42")),
                List.of(new TemplateButtonParameter(0, TemplateButtonParameter.Kind.QUICK_REPLY, "track-42"),
                        new TemplateButtonParameter(1, TemplateButtonParameter.Kind.URL, "orders/42")));

        client.send(message(MessageContent.template(template)));

        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"template",
                 "template":{"name":"order_update","language":{"code":"en_US"},"components":[
                   {"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example.com/parcel.png"}}]},
                   {"type":"body","parameters":[{"type":"text","text":"Ada"},{"type":"text","parameter_name":"order_id","text":"42"}]},
                   {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"track-42"}]},
                   {"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"orders/42"}]}]}}"""));
    }

    @Test
    void aTemplateWithoutParametersSendsNoComponents() throws Exception {
        client.send(message(MessageContent.template(MessageTemplate.of("hello_world", "en_US"))));

        assertThat(json(server.takeRequest(WAIT))).isEqualTo(json("""
                {"messaging_product":"whatsapp","recipient_type":"individual","to":"4915123456789","type":"template",
                 "template":{"name":"hello_world","language":{"code":"en_US"}}}"""));
    }

    static Stream<Arguments> notInternationalFormat() {
        return Stream.of(Arguments.of("0151 2345678"), Arguments.of("12345"), Arguments.of("+49 151 abc"), Arguments.of("@someone"));
    }

    @ParameterizedTest
    @MethodSource("notInternationalFormat")
    void aTargetNotInInternationalFormatIsRefusedBeforeAnyCall(String target) {
        Throwable thrown = catchThrowable(() -> client.send(new OutboundMessage("m", Target.user(target), MessageContent.text("hi"), null, null)));

        assertThat(thrown).isInstanceOfSatisfying(PermanentDeliveryException.class,
                e -> assertThat(e.reasonCode()).isEqualTo("invalid_target"));
        assertThat(server.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"+49 151 2345 6789", "+49 (151) 234-56789", "49.151.23456789", " +4915123456789 ", "(+49) 151 2345 6789"})
    void aNumberWrittenWithSeparatorsIsSentAsDigitsAndPassesTheHostsCheck(String written) throws Exception {
        client.send(new OutboundMessage("m", Target.user(written), MessageContent.text("hi"), null, null));

        assertThat(json(server.takeRequest(WAIT))).containsEntry("to", "4915123456789");
        assertThat(new WhatsAppPlatformProvider().descriptor().targetFormats().get(TargetType.USER).matches(written)).isTrue();
    }

    @Test
    void whatWhatsAppCannotCarryIsRefusedBeforeAnyCall() {
        Throwable mixed = catchThrowable(() -> client.send(message(withButtons("Both?", Button.action("Yes", "y"),
                Button.link("Site", URI.create("https://example.com"))))));
        Throwable longTitle = catchThrowable(() -> client.send(message(withButtons("Long", Button.action("A title over twenty chars", "x")))));
        Throwable buttonsWithoutText = catchThrowable(() -> client.send(message(new MessageContent(null, TextFormat.PLAIN,
                List.of(Attachment.fromUrl(URI.create("https://cdn.example.com/a.jpg"), null, "image/jpeg")),
                List.of(Button.action("Yes", "y")), null))));

        assertThat(mixed).isInstanceOfSatisfying(PermanentDeliveryException.class,
                e -> assertThat(e.reasonCode()).isEqualTo("unsupported_content"));
        assertThat(longTitle).isInstanceOfSatisfying(PermanentDeliveryException.class,
                e -> assertThat(e.reasonCode()).isEqualTo("content_rejected"));
        assertThat(buttonsWithoutText).isInstanceOfSatisfying(PermanentDeliveryException.class,
                e -> assertThat(e.reasonCode()).isEqualTo("content_rejected"));
        assertThat(server.requests()).isEmpty();
    }

    static Stream<Arguments> permanentFailures() {
        return Stream.of(
                Arguments.of(400, 131047, null, "Re-engagement message", "reengagement_required"),
                Arguments.of(400, 131026, null, "Message undeliverable", "invalid_target"),
                Arguments.of(400, 131030, null, "Recipient phone number not in allowed list", "invalid_target"),
                Arguments.of(400, 131051, null, "Unsupported message type", "unsupported_content"),
                Arguments.of(404, 132001, null, "Template name does not exist in the translation", "template_not_found"),
                Arguments.of(400, 132000, null, "Number of parameters does not match the expected number of params",
                        "template_parameter_mismatch"),
                Arguments.of(400, 132012, null, "Parameter format does not match format in the created template",
                        "template_parameter_mismatch"),
                Arguments.of(400, 132015, null, "Template is Paused", "template_rejected"),
                Arguments.of(401, 190, null, "Error validating access token: Session has expired", "unauthorized"),
                Arguments.of(403, 10, null, "Application does not have permission for this action", "forbidden"),
                Arguments.of(400, 100, 33, "Unsupported post request. Object with ID '106540352242922' does not exist",
                        "invalid_configuration"),
                Arguments.of(400, 131052, null, "Media download error", "media_rejected"),
                Arguments.of(400, 131048, null, "Spam rate limit hit", "rate_limited"),
                Arguments.of(400, 131009, null, "Parameter value is not valid", "content_rejected"));
    }

    @ParameterizedTest(name = "{1} -> {4}")
    @MethodSource("permanentFailures")
    void metasPermanentErrorsEachHaveTheirReasonCodeMetasMessageAndTheHttpStatus(int status, int code, Integer subcode,
                                                                                String metaMessage, String reasonCode) {
        server.enqueue(MESSAGES, FakeGraphApi.error(status, code, subcode, "(#" + code + ") " + metaMessage, "details for " + code));

        Throwable thrown = catchThrowable(() -> client.send(message(MessageContent.text("hi"))));

        assertThat(thrown).isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
            assertThat(e.reasonCode()).isEqualTo(reasonCode);
            assertThat(e.platformStatus()).hasValue(status);
            assertThat(e.getMessage()).contains(metaMessage).contains("code " + code).contains("fbtrace_id AbCdEfGhIjK")
                    .doesNotContain(FakeGraphApi.ACCESS_TOKEN);
        });
    }

    static Stream<Arguments> retryableFailures() {
        return Stream.of(
                Arguments.of(400, 130429, "Rate limit hit"),
                Arguments.of(400, 131056, "(Business Account, Consumer Account) pair rate limit hit"),
                Arguments.of(400, 80007, "Rate limit issues"),
                Arguments.of(400, 4, "Application request limit reached"),
                Arguments.of(500, 131000, "Something went wrong"),
                Arguments.of(503, 2, "Service temporarily unavailable"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("retryableFailures")
    void throttlingAndMetasTemporaryErrorsAreRetryable(int status, int code, String metaMessage) {
        server.enqueue(MESSAGES, FakeGraphApi.error(status, code, metaMessage));

        Throwable thrown = catchThrowable(() -> client.send(message(MessageContent.text("hi"))));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class).hasMessageContaining(metaMessage);
        assertThat(((RetryableDeliveryException) thrown).platformStatus()).hasValue(status);
    }

    @Test
    void anHttp429CarriesItsRetryAfterExactlyAndAnErrorPageWithout5xxJsonIsRetryable() {
        server.enqueue(MESSAGES, FakeGraphApi.error(429, 130429, "Rate limit hit").withHeader("Retry-After", "17"));
        server.enqueue(MESSAGES, FakeResponse.text(502, "<html>Bad Gateway</html>"));

        Throwable limited = catchThrowable(() -> client.send(message(MessageContent.text("hi"))));
        Throwable badGateway = catchThrowable(() -> client.send(message(MessageContent.text("hi"))));

        assertThat(limited).isInstanceOfSatisfying(RetryableDeliveryException.class, e -> {
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(17));
            assertThat(e.platformStatus()).hasValue(429);
        });
        assertThat(badGateway).isInstanceOfSatisfying(RetryableDeliveryException.class, e -> {
            assertThat(e).hasMessageContaining("502");
            assertThat(e.platformStatus()).hasValue(502);
        });
    }

    @Test
    void anAnswerWithoutAMessageIdOrWithoutJsonFailsWithItsHttpStatus() {
        server.enqueue(MESSAGES, FakeResponse.json(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[]}"));
        server.enqueue(MESSAGES, FakeResponse.text(200, "OK"));

        Throwable withoutId = catchThrowable(() -> client.send(message(MessageContent.text("hi"))));
        Throwable notJson = catchThrowable(() -> client.send(message(MessageContent.text("hi"))));

        assertThat(withoutId).isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
            assertThat(e.reasonCode()).isEqualTo("platform_error");
            assertThat(e).hasMessageContaining("HTTP 200 without the id");
            assertThat(e.platformStatus()).hasValue(200);
        });
        assertThat(notJson).isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
            assertThat(e).hasMessageContaining("not a JSON object");
            assertThat(e.platformStatus()).hasValue(200);
        });
    }

    @Test
    void aRefusedTokenTurnsTheClientDownUntilASendSucceeds() {
        server.enqueue(MESSAGES, FakeGraphApi.error(401, 190, "Invalid OAuth access token - Cannot parse access token"));

        catchThrowable(() -> client.send(message(MessageContent.text("hi"))));
        assertThat(client.health().state()).isEqualTo(HealthStatus.State.DOWN);

        catchThrowable(() -> client.send(message(MessageContent.text("hi again"))));
        assertThat(client.health().state()).isEqualTo(HealthStatus.State.UP);
    }

    @Test
    void sendAsyncReturnsAtOnceAndCompletesWhenWhatsAppAnswers() throws Exception {
        server.enqueue(MESSAGES, FakeGraphApi.sent("wamid.SLOW", WA_ID).withDelay(Duration.ofMillis(800)));

        CompletableFuture<DeliveryReceipt> pending = client.sendAsync(message(MessageContent.text("slow"))).toCompletableFuture();

        assertThat(pending).as("the calling thread does not wait for WhatsApp").isNotDone();
        assertThat(pending.get(10, TimeUnit.SECONDS).platformMessageIds()).containsExactly("wamid.SLOW");
    }

    @Test
    void aFailedUploadFailsTheSendWithoutSendingTheMessage() {
        server.enqueue(MEDIA, FakeGraphApi.error(400, 131053, "Media upload error"));

        Throwable thrown = catchThrowable(() -> client.send(message(withAttachments(null,
                Attachment.inline(new byte[] {1, 2, 3}, "x.bin", "application/octet-stream")))));

        assertThat(thrown).isInstanceOfSatisfying(PermanentDeliveryException.class, e -> {
            assertThat(e.reasonCode()).isEqualTo("media_rejected");
            assertThat(e.platformStatus()).hasValue(400);
        });
        assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly(MEDIA);
    }

    @Test
    void aServerThatIsGoneIsRetryable() throws Exception {
        FakePlatformServer gone = FakePlatformServer.start();
        TestPlatformContext goneContext = TestPlatformContext.forServer(gone);
        gone.close();
        PlatformClient unreachable = new WhatsAppPlatformProvider().openClient(FakeGraphApi.configuration(Map.of()), goneContext);
        try {
            assertThat(catchThrowable(() -> unreachable.send(message(MessageContent.text("hi")))))
                    .isInstanceOfSatisfying(RetryableDeliveryException.class, e -> {
                        assertThat(e).hasMessageContaining("did not answer");
                        assertThat(e.platformStatus()).as("nothing answered").isEmpty();
                    });
        } finally {
            unreachable.close();
        }
    }
}
