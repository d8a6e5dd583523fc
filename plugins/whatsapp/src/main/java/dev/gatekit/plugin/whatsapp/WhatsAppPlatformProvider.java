package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.Capability;
import dev.gatekit.plugin.api.ConfigField;
import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryLimits;
import dev.gatekit.plugin.api.FieldType;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformContext;
import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.TargetType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.pf4j.Extension;

/**
 * WhatsApp through Meta's Cloud API (the Graph API), over the host's HTTP client. See the
 * module's README for the fields, what is sent how, and the webhook setup.
 *
 * <p>Delivery limits: the Cloud API takes 80 messages per second per business number by default.
 * To one recipient Meta allows short bursts but about one message every six seconds sustained;
 * the descriptor's one per second per recipient lets a burst through, and Meta's pair-limit answer
 * (131056) is retried with back-off.
 */
@Extension
public class WhatsAppPlatformProvider implements PlatformProvider {

    private static final String VERSION = readVersion();

    private static final PlatformDescriptor DESCRIPTOR = PlatformDescriptor.builder("whatsapp", "WhatsApp", VERSION)
            .capabilities(Capability.TEXT, Capability.ATTACHMENTS, Capability.INLINE_ATTACHMENTS, Capability.BUTTONS,
                    Capability.LINK_BUTTONS, Capability.REPLIES, Capability.TEMPLATES, Capability.INBOUND_WEBHOOK,
                    Capability.DELIVERY_STATUS)
            .credentialFields(
                    ConfigField.secret(WhatsAppSettings.ACCESS_TOKEN,
                            "A system user access token with whatsapp_business_messaging (Meta Business settings)"),
                    ConfigField.secret(WhatsAppSettings.APP_SECRET,
                            "The Meta app's secret (App settings > Basic); checks X-Hub-Signature-256 on every webhook"),
                    ConfigField.secret(WhatsAppSettings.VERIFY_TOKEN,
                            "Any secret string; enter the same as the Verify token when setting the webhook up in the app"))
            .configFields(
                    ConfigField.required(WhatsAppSettings.PHONE_NUMBER_ID, FieldType.STRING,
                            "The business phone number's id (WhatsApp > API Setup), not the number itself"),
                    ConfigField.optional(WhatsAppSettings.GRAPH_API_VERSION, FieldType.STRING,
                            "The Graph API version, such as v26.0 (the default)"),
                    ConfigField.optional(WhatsAppSettings.LIST_BUTTON_TEXT, FieldType.STRING,
                            "The label of the button that opens more than three choices as a list (default Choose)"),
                    ConfigField.optional(WhatsAppSettings.API_BASE_URL, FieldType.URL,
                            "Another Graph API server (tests, proxies); default https://graph.facebook.com"))
            .defaultLimits(new DeliveryLimits(80, 1))
            .targetTypes(TargetType.USER)
            .targetFormat(TargetType.USER, PhoneNumbers.FORMAT, PhoneNumbers.DESCRIPTION)
            .maxTextLength(WhatsAppMessages.MAX_TEXT)
            .build();

    /** Creates the provider; PF4J calls this. */
    public WhatsAppPlatformProvider() {
    }

    @Override
    public PlatformDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Reads the phone number: a token or id Meta refuses names its field, with Meta's own message. */
    @Override
    public void validateCredentials(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        WhatsAppPlatformClient client = new WhatsAppPlatformClient(WhatsAppSettings.from(configuration, context), context, VERSION);
        try {
            client.readPhoneNumber();
        } catch (DeliveryException e) {
            throw WhatsAppFailures.toInvalidConfiguration(e);
        } finally {
            client.close();
        }
    }

    @Override
    public PlatformClient openClient(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        return new WhatsAppPlatformClient(WhatsAppSettings.from(configuration, context), context, VERSION);
    }

    private static String readVersion() {
        try (InputStream in = WhatsAppPlatformProvider.class.getResourceAsStream("whatsapp-plugin.properties")) {
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
