package dev.gatekit.plugin.slack;

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
 * Slack through the Web API, with slack-api-client. See the module's README for the fields, what
 * is supported and how inbound events arrive.
 *
 * <p>Delivery limits: Slack allows about one message per second into one channel
 * ({@code chat.postMessage} is a "special" tier: short bursts are tolerated) and applies its
 * per-method tiers per workspace. The descriptor declares 1 per second per channel and, for the
 * whole configuration, a conservative 10 per second; a burst beyond Slack's allowance is answered
 * 429 with {@code Retry-After}, which is retried exactly then.
 *
 * <p>Nothing is registered on Slack when a configuration is created (the Events API and
 * interactivity URLs are set in the app's settings), so {@code configurationRemoved} keeps the
 * default no-op.
 */
@Extension
public class SlackPlatformProvider implements PlatformProvider {

    private static final String VERSION = readVersion();

    /** Text longer than one message is split by the plugin; this caps the split at ten messages. */
    static final int MAX_TEXT_LENGTH = 10 * SlackMessages.MESSAGE_LIMIT;

    private static final PlatformDescriptor DESCRIPTOR = PlatformDescriptor.builder("slack", "Slack", VERSION)
            .capabilities(Capability.TEXT, Capability.MARKDOWN, Capability.ATTACHMENTS, Capability.BUTTONS,
                    Capability.LINK_BUTTONS, Capability.EMBEDS, Capability.THREADS, Capability.REPLIES,
                    Capability.INBOUND_WEBHOOK)
            .credentialFields(
                    ConfigField.secret(SlackSettings.BOT_TOKEN,
                            "The app's Bot User OAuth Token (xoxb-...), from OAuth & Permissions; needs chat:write (and im:write for users)"),
                    ConfigField.optionalSecret(SlackSettings.SIGNING_SECRET,
                            "The app's Signing Secret, from Basic Information; required to receive events and button presses"))
            .configFields(
                    ConfigField.optional(SlackSettings.API_BASE_URL, FieldType.URL,
                            "Where Slack's Web API lives, default https://slack.com/ (methods are called at <url>api/<method>)"),
                    ConfigField.optional(SlackSettings.MAX_CONCURRENT_REQUESTS, FieldType.INTEGER,
                            "Most sends in flight at once, per GateKit instance, 1-256 (default 16); more wait their turn"))
            .defaultLimits(new DeliveryLimits(10, 1))
            .targetTypes(TargetType.CHANNEL, TargetType.GROUP, TargetType.USER)
            .maxTextLength(MAX_TEXT_LENGTH)
            .build();

    /** Creates the provider; PF4J calls this. */
    public SlackPlatformProvider() {
    }

    @Override
    public PlatformDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Calls {@code auth.test}: a token Slack refuses ({@code invalid_auth}, {@code not_authed}, ...) names {@code botToken}. */
    @Override
    public void validateCredentials(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        SlackPlatformClient client = new SlackPlatformClient(SlackSettings.from(configuration, context), context);
        try {
            client.authTest();
        } catch (DeliveryException e) {
            throw SlackFailures.toInvalidConfiguration(e);
        } finally {
            client.close();
        }
    }

    @Override
    public PlatformClient openClient(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        return new SlackPlatformClient(SlackSettings.from(configuration, context), context);
    }

    private static String readVersion() {
        try (InputStream in = SlackPlatformProvider.class.getResourceAsStream("slack-plugin.properties")) {
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
