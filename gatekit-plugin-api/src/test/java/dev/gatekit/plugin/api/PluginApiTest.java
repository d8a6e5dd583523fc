package dev.gatekit.plugin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginApiTest {

    @Test
    void versionComesFromTheMavenProperty() {
        assertThat(GateKitPluginApi.VERSION)
                .isEqualTo(System.getProperty("gatekit.plugin-api.version"))
                .matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void theMavenVersionIsTheApiVersion() {
        assertThat(System.getProperty("gatekit.plugin-api.maven-version")).isEqualTo(GateKitPluginApi.VERSION);
    }

    @Test
    void aFieldCanBeAcceptedUnderOtherNames() {
        ConfigField field = ConfigField.secret("botToken", "bot token").withAliases("token");
        assertThat(field.aliases()).containsExactly("token");
        assertThat(field.secret()).isTrue();
        assertThat(ConfigField.secret("botToken", "bot token").aliases()).isEmpty();
        assertThat(new ConfigField("n", FieldType.STRING, false, false, "d").aliases()).isEmpty();
        assertThatThrownBy(() -> ConfigField.secret("botToken", "").withAliases("botToken"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigField.secret("botToken", "").withAliases("not ok"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostFirstPackages() {
        assertThat(GateKitPluginApi.isHostFirst("org.slf4j.Logger")).isTrue();
        assertThat(GateKitPluginApi.isHostFirst("dev.gatekit.plugin.api.PlatformProvider")).isTrue();
        assertThat(GateKitPluginApi.isHostFirst("java.lang.String")).isTrue();
        assertThat(GateKitPluginApi.isHostFirst("org.pf4j.Extension")).isTrue();
        assertThat(GateKitPluginApi.isHostFirst("dev.gatekit.plugin.webhook.WebhookClient")).isFalse();
        assertThat(GateKitPluginApi.isHostFirst("com.fasterxml.jackson.databind.ObjectMapper")).isFalse();
    }

    @Test
    void aTargetFormatMatchesWholeIdsAndOnlyForADeclaredTargetType() {
        PlatformDescriptor descriptor = PlatformDescriptor.builder("sms", "SMS", "1.0.0")
                .targetTypes(TargetType.USER)
                .targetFormat(TargetType.USER, java.util.regex.Pattern.compile("\\+[0-9]{8,15}"), "a number such as +14155550123")
                .build();

        assertThat(descriptor.targetFormats().get(TargetType.USER).matches("+14155550123")).isTrue();
        assertThat(descriptor.targetFormats().get(TargetType.USER).matches("call +14155550123")).isFalse();
        assertThat(descriptor.targetFormats().get(TargetType.USER).matches(null)).isFalse();
        assertThat(PlatformDescriptor.builder("plain", "Plain", "1.0.0").build().targetFormats()).isEmpty();
        assertThatThrownBy(() -> PlatformDescriptor.builder("sms", "SMS", "1.0.0").targetTypes(TargetType.USER)
                .targetFormat(TargetType.CHANNEL, java.util.regex.Pattern.compile("C.*"), "a channel").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CHANNEL");
    }

    @Test
    void aDeliveryFailureCarriesThePlatformsAnswerOnlyWhenGivenOne() {
        assertThat(new RetryableDeliveryException("down").platformStatus()).isEmpty();
        assertThat(new RetryableDeliveryException("down", null, null, 503).platformStatus()).hasValue(503);
        assertThat(new PermanentDeliveryException(ReasonCodes.INVALID_TARGET, "gone").platformStatus()).isEmpty();
        assertThat(new PermanentDeliveryException(ReasonCodes.INVALID_TARGET, "gone", null, 410).platformStatus()).hasValue(410);
    }

    @Test
    void descriptorValidatesIdAndFields() {
        PlatformDescriptor descriptor = PlatformDescriptor.builder("my-chat2", "My Chat", "1.0.0")
                .credentialFields(ConfigField.secret("token", "bot token"))
                .configFields(ConfigField.optional("region", FieldType.STRING, "region"))
                .build();
        assertThat(descriptor.capabilities()).containsExactly(Capability.TEXT);
        assertThat(descriptor.defaultLimits()).isEqualTo(DeliveryLimits.DEFAULT);
        assertThat(descriptor.allFields()).extracting(ConfigField::name).containsExactly("token", "region");

        assertThatThrownBy(() -> PlatformDescriptor.builder("My_Chat", "x", "1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("My_Chat");
        assertThatThrownBy(() -> PlatformDescriptor.builder("a", "x", "1")
                .credentialFields(ConfigField.secret("token", ""))
                .configFields(ConfigField.optional("token", FieldType.STRING, "")).build())
                .hasMessageContaining("duplicate config field name: token");
        assertThatThrownBy(() -> PlatformDescriptor.builder("a", " ", "1").build())
                .hasMessageContaining("displayName");
        assertThatThrownBy(() -> PlatformDescriptor.builder("a", "A", "1").targetTypes().build())
                .hasMessageContaining("targetTypes");
        assertThatThrownBy(() -> new ConfigField("t", FieldType.SECRET, false, true, null))
                .hasMessageContaining("secret");
    }

    @Test
    void descriptorCollectionsAreImmutable() {
        PlatformDescriptor descriptor = PlatformDescriptor.builder("a", "A", "1").build();
        assertThatThrownBy(() -> descriptor.capabilities().add(Capability.BUTTONS))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void configurationToStringMasksCredentials() throws Exception {
        PlatformConfiguration configuration = new PlatformConfiguration("cfg-1", "proj-1",
                Map.of("token", "s3cr3t-value"), Map.of("url", "https://example.com"), false);
        assertThat(configuration.toString())
                .doesNotContain("s3cr3t-value")
                .contains("token=****", "https://example.com");
        assertThat(configuration.requireCredential("token")).isEqualTo("s3cr3t-value");
        assertThatThrownBy(() -> configuration.requireCredential("other"))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.field()).isEqualTo("other"));
    }

    @Test
    void messageModelIsNullSafeAndImmutable() {
        List<Attachment> attachments = new ArrayList<>(List.of(Attachment.fromUrl(URI.create("https://x/a.png"), "a.png", null)));
        MessageContent content = new MessageContent(null, null, attachments, null, null);
        attachments.clear();
        assertThat(content.attachments()).hasSize(1);
        assertThat(content.format()).isEqualTo(TextFormat.PLAIN);
        assertThat(content.buttons()).isEmpty();

        OutboundMessage message = new OutboundMessage("m1", Target.user("42"), MessageContent.text("hi"), null, null);
        assertThat(message.options()).isEqualTo(SendOptions.NONE);
        assertThat(message.metadata()).isEmpty();

        assertThatThrownBy(() -> new MessageContent(" ", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Attachment(URI.create("https://x"), new byte[1], "f", null, null))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new Attachment(null, null, "f", null, null))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> new Button("b", "v", URI.create("https://x"), null))
                .hasMessageContaining("exactly one");
        assertThat(Button.action("Yes", "yes").style()).isEqualTo(ButtonStyle.PRIMARY);
    }

    @Test
    void aTemplateMessageCarriesOnlyItsTemplate() {
        MessageTemplate template = new MessageTemplate("order_update", "en_US",
                List.of(new TemplateParameter(TemplateParameter.Type.IMAGE, "https://x/p.png", null)),
                List.of(TemplateParameter.text("Ada"), TemplateParameter.named("order_id", "42")),
                List.of(new TemplateButtonParameter(0, TemplateButtonParameter.Kind.QUICK_REPLY, "track-42")));
        MessageContent content = MessageContent.template(template);
        assertThat(content.template()).isEqualTo(template);
        assertThat(content.text()).isNull();
        assertThat(template.bodyParameters()).extracting(TemplateParameter::name).containsExactly(null, "order_id");

        assertThatThrownBy(() -> new MessageContent("hi", null, null, null, null, template))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("template");
        assertThatThrownBy(() -> MessageTemplate.of(" ", "en")).hasMessageContaining("template name");
        assertThatThrownBy(() -> new TemplateButtonParameter(-1, TemplateButtonParameter.Kind.URL, "x"))
                .hasMessageContaining("index");
        assertThat(MessageContent.text("hi").template()).as("the pre-1.2 constructor means no template").isNull();
    }

    @Test
    void sendOptionsLeaveTheLinkPreviewToThePlatformUnlessAsked() {
        assertThat(new SendOptions("r", "t", true).linkPreview()).isNull();
        assertThat(SendOptions.NONE.linkPreview()).isNull();
        assertThat(new SendOptions(null, null, false, true).linkPreview()).isTrue();
    }

    @Test
    void inlineAttachmentIsCopied() {
        byte[] data = {1, 2, 3};
        Attachment attachment = Attachment.inline(data, "a.bin", "application/octet-stream");
        data[0] = 9;
        attachment.data()[1] = 9;
        assertThat(attachment.data()).containsExactly(1, 2, 3);
        assertThat(attachment).isEqualTo(Attachment.inline(new byte[] {1, 2, 3}, "a.bin", "application/octet-stream"));
        assertThat(attachment.toString()).contains("3 bytes");
    }

    @Test
    void webhookRequestHeadersIgnoreCase() {
        WebhookRequest request = new WebhookRequest("POST", "/webhooks/x", Map.of("X-GateKit-Signature", List.of("v1=ab")),
                Map.of("a", List.of("1")), "{}".getBytes(), "127.0.0.1", Instant.EPOCH);
        assertThat(request.header("x-gatekit-signature")).contains("v1=ab");
        assertThat(request.header("missing")).isEmpty();
        assertThat(request.queryParameter("a")).contains("1");
        assertThat(request.bodyAsString()).isEqualTo("{}");
    }

    @Test
    void webhookResultFactories() {
        WebhookResult rejected = WebhookResult.rejected(401, "bad signature");
        assertThat(rejected.authentic()).isFalse();
        assertThat(rejected.events()).isEmpty();
        assertThatThrownBy(() -> WebhookResult.rejected(200, "x")).isInstanceOf(IllegalArgumentException.class);

        InboundEvent event = new MessageReceived("e1", "c1", "u1", "Ann", "hi", null, null, null, null, Instant.EPOCH, null);
        WebhookResult accepted = WebhookResult.accepted(List.of(event));
        assertThat(accepted.httpStatus()).isEqualTo(200);
        assertThat(new String(accepted.responseBody())).isEqualTo("{\"ok\":true}");
        assertThat(accepted.events()).containsExactly(event);
        assertThatThrownBy(() -> new WebhookResult(false, 401, null, null, List.of(event)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void failures() {
        RetryableDeliveryException retryable = new RetryableDeliveryException("slow down", Duration.ofSeconds(3), null);
        assertThat(retryable.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(retryable.isRetryable()).isTrue();
        assertThat(new RetryableDeliveryException("x").retryAfter()).isEmpty();
        PermanentDeliveryException permanent = new PermanentDeliveryException(ReasonCodes.INVALID_TARGET, "no such chat");
        assertThat(permanent.reasonCode()).isEqualTo("invalid_target");
        assertThat(permanent.isRetryable()).isFalse();
        assertThatThrownBy(() -> new PermanentDeliveryException("Bad Code", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSplitMessageAdditionsOf130KeepTheOldConstructorsAndCopyTheirLists() {
        OutboundMessage first = new OutboundMessage("m-1", Target.user("42"), MessageContent.text("hi"), null, null);
        assertThat(first.deliveredParts()).isEmpty();
        List<String> delivered = new ArrayList<>(List.of("11", "12"));
        OutboundMessage retry = first.withDeliveredParts(delivered);
        delivered.add("13");
        assertThat(retry.deliveredParts()).containsExactly("11", "12");
        assertThat(retry.messageId()).isEqualTo("m-1");
        assertThatThrownBy(() -> retry.deliveredParts().add("x")).isInstanceOf(UnsupportedOperationException.class);

        IllegalStateException cause = new IllegalStateException("502");
        RetryableDeliveryException failure = new RetryableDeliveryException("Bad Gateway", Duration.ofSeconds(3), cause);
        assertThat(failure.deliveredParts()).isEmpty();
        RetryableDeliveryException partial = failure.withDeliveredParts(List.of("11"));
        assertThat(partial.deliveredParts()).containsExactly("11");
        assertThat(partial.retryAfter()).contains(Duration.ofSeconds(3));
        assertThat(partial.getCause()).isSameAs(cause);
        assertThat(partial.getMessage()).isEqualTo("Bad Gateway");
    }

    @Test
    void aMessageIsAnEditOnlyWhenItSaysWhichMessageItEdits() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        MessageReceived created = new MessageReceived("e-1", "c", "u", "Ada", "teh", null, null, null, "9", at, null);
        MessageReceived edit = new MessageReceived("e-2", "c", "u", "Ada", "the", null, null, null, "9", at, null, "9");

        assertThat(created.editOf()).isNull();
        assertThat(edit.editOf()).isEqualTo("9");
    }

    @Test
    void inboundEventsAreSealed() {
        assertThat(InboundEvent.class.isSealed()).isTrue();
        assertThat(InboundEvent.class.getPermittedSubclasses())
                .containsExactlyInAnyOrder(MessageReceived.class, InteractionReceived.class, DeliveryStatusUpdate.class);
        assertThat(DeliveryException.class.getPermittedSubclasses())
                .containsExactlyInAnyOrder(RetryableDeliveryException.class, PermanentDeliveryException.class);
    }
}
