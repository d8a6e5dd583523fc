package dev.gatekit.core.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.plugin.api.Capability;
import dev.gatekit.plugin.api.MessageTemplate;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.TemplateButtonParameter;
import dev.gatekit.plugin.api.TemplateParameter;
import org.junit.jupiter.api.Test;

/** A template and a link-preview wish, from the REST request through the stored body to the plugin's message. */
class TemplateMessagesTest {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private static SendMessageRequest request(String json) throws Exception {
        return JSON.readValue(json, SendMessageRequest.class);
    }

    private static MessageBody normalized(String json) throws Exception {
        return SendRequestNormalizer.normalize(request(json));
    }

    private static java.util.List<String> problems(String json) throws Exception {
        SendMessageRequest request = request(json);
        ApiException thrown = catchThrowableOfType(ApiException.class, () -> SendRequestNormalizer.normalize(request));
        return thrown.details().stream().map(ErrorDetail::field).toList();
    }

    @Test
    void aTemplateAndLinkPreviewReachThePluginAsTheApiModel() throws Exception {
        MessageBody body = normalized("""
                {"platform":"whatsapp","target":{"type":"user","id":"+14155550123"},"options":{"linkPreview":true},
                 "content":{"template":{"name":"order_update","language":"en_US",
                   "header":[{"type":"image","url":"https://cdn.example.com/p.png"}],
                   "body":[{"text":"Ada"},{"name":"order_id","text":"42"}],
                   "buttons":[{"index":1,"type":"url","value":"orders/42"}]}}}""");
        OutboundMessage message = PlatformMessages.toOutbound("t-1", body, body.targets().get(0));

        assertThat(message.content().template()).isEqualTo(new MessageTemplate("order_update", "en_US",
                java.util.List.of(new TemplateParameter(TemplateParameter.Type.IMAGE, "https://cdn.example.com/p.png", null)),
                java.util.List.of(TemplateParameter.text("Ada"), TemplateParameter.named("order_id", "42")),
                java.util.List.of(new TemplateButtonParameter(1, TemplateButtonParameter.Kind.URL, "orders/42"))));
        assertThat(message.content().text()).isNull();
        assertThat(message.options().linkPreview()).isTrue();
        assertThat(PlatformMessages.toOutbound("t-2", normalized("""
                {"platform":"x","target":{"type":"user","id":"1"},"text":"hi"}"""), body.targets().get(0)).options().linkPreview()).isNull();
    }

    @Test
    void aTemplateStoredAndReadBackIsTheSame() throws Exception {
        MessageBody body = normalized("""
                {"platform":"whatsapp","target":{"type":"user","id":"1"},"template":{"name":"hello_world","language":"en_US"}}""");
        MessageBody stored = JSON.readValue(JSON.writeValueAsString(body), MessageBody.class);

        assertThat(stored.content().template()).isEqualTo(body.content().template());
    }

    @Test
    void aTemplateCarriesNothingElseAndEachBadPartIsNamed() throws Exception {
        assertThat(problems("""
                {"platform":"p","target":{"type":"user","id":"1"},"content":{"text":"hi","template":{"name":"t","language":"en"}}}"""))
                .containsExactly("content.template");
        assertThat(problems("""
                {"platform":"p","target":{"type":"user","id":"1"},"content":{"template":{"name":" ",
                 "body":[{"type":"image"},{"type":"audio","url":"https://x"},{"text":""}],
                 "buttons":[{"type":"quick_reply","value":"v"},{"index":0,"type":"call","value":"v"},{"index":0,"type":"url"}]}}}"""))
                .containsExactly("content.template.name", "content.template.language", "content.template.body[0].url",
                        "content.template.body[1].type", "content.template.body[2].text", "content.template.buttons[0].index",
                        "content.template.buttons[1].type", "content.template.buttons[2].value");
    }

    @Test
    void aPlatformWithoutTemplatesRefusesOne() throws Exception {
        MessageBody body = normalized("""
                {"platform":"p","target":{"type":"user","id":"1"},"template":{"name":"t","language":"en"}}""");
        PlatformDescriptor withTemplates = PlatformDescriptor.builder("a", "A", "1").capabilities(Capability.TEXT, Capability.TEMPLATES).build();
        PlatformDescriptor without = PlatformDescriptor.builder("b", "B", "1").build();

        assertThat(PlatformMessages.unsupported(body, body.targets().get(0), "targets[0]", withTemplates)).isEmpty();
        assertThat(PlatformMessages.unsupported(body, body.targets().get(0), "targets[0]", without))
                .extracting(ErrorDetail::field).containsExactly("content.template");
    }
}
