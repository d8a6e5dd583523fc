package dev.gatekit.plugin.webhook;

import dev.gatekit.plugin.api.Capability;
import dev.gatekit.plugin.api.ConfigField;
import dev.gatekit.plugin.api.DeliveryLimits;
import dev.gatekit.plugin.api.FieldType;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformContext;
import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.PlatformProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.pf4j.Extension;

/**
 * The generic webhook platform: delivers each message as signed JSON to one HTTP endpoint
 * and accepts signed JSON events back. See {@code docs/plugins.md} for the wire format.
 */
@Extension
public class WebhookPlatformProvider implements PlatformProvider {

    private static final String VERSION = readVersion();

    private static final PlatformDescriptor DESCRIPTOR = PlatformDescriptor.builder("webhook", "Webhook", VERSION)
            .capabilities(Capability.TEXT, Capability.MARKDOWN, Capability.HTML, Capability.ATTACHMENTS,
                    Capability.INLINE_ATTACHMENTS, Capability.BUTTONS, Capability.LINK_BUTTONS, Capability.EMBEDS,
                    Capability.THREADS, Capability.REPLIES, Capability.SILENT, Capability.INBOUND_WEBHOOK,
                    Capability.DELIVERY_STATUS)
            .credentialFields(ConfigField.secret(WebhookSettings.SIGNING_SECRET,
                    "Shared secret (at least 16 characters) for the HMAC-SHA256 X-GateKit-Signature, both ways"))
            .configFields(
                    ConfigField.required(WebhookSettings.URL, FieldType.URL,
                            "The http(s) endpoint every message is POSTed to"),
                    ConfigField.optional(WebhookSettings.TIMEOUT_SECONDS, FieldType.INTEGER,
                            "Seconds to wait for the endpoint's answer, 1-120 (default 10)"),
                    ConfigField.optional(WebhookSettings.MAX_CONCURRENT_REQUESTS, FieldType.INTEGER,
                            "Most requests in flight to the endpoint at once, per GateKit instance, 1-1024 (default 64); "
                                    + "more sends wait their turn"))
            .defaultLimits(new DeliveryLimits(20, 20))
            .maxTextLength(65_536)
            .build();

    /** Creates the provider; PF4J calls this. */
    public WebhookPlatformProvider() {
    }

    @Override
    public PlatformDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void validateCredentials(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        WebhookSettings.from(configuration);
    }

    @Override
    public PlatformClient openClient(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        return new WebhookClient(WebhookSettings.from(configuration), context, VERSION);
    }

    private static String readVersion() {
        try (InputStream in = WebhookPlatformProvider.class.getResourceAsStream("webhook-plugin.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "0.0.0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
