package dev.gatekit.plugin.telegram;

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
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * Telegram through the Bot API, with the telegrambots library. See the module's README for the
 * fields, what is supported and how inbound updates arrive.
 *
 * <p>Delivery limits: Telegram publishes about 30 messages per second per bot and about one per
 * second per chat, and at most 20 messages per minute into one group. The descriptor carries the
 * first two; the group limit has no field in {@link DeliveryLimits}, so a burst into one group may
 * see 429s, which carry Telegram's {@code retry_after} and are retried exactly then.
 */
@Extension
public class TelegramPlatformProvider implements PlatformProvider {

    private static final String VERSION = readVersion();

    /** Text longer than one message is split by the plugin; this caps the split at ten messages. */
    static final int MAX_TEXT_LENGTH = 10 * FormattedText.MESSAGE_LIMIT;

    private static final PlatformDescriptor DESCRIPTOR = PlatformDescriptor.builder("telegram", "Telegram", VERSION)
            .capabilities(Capability.TEXT, Capability.MARKDOWN, Capability.HTML, Capability.ATTACHMENTS,
                    Capability.INLINE_ATTACHMENTS, Capability.BUTTONS, Capability.LINK_BUTTONS, Capability.THREADS,
                    Capability.REPLIES, Capability.SILENT, Capability.INBOUND_WEBHOOK,
                    Capability.WEBHOOK_REGISTRATION)
            // "token" is the original GateKit's name for it, which migrating clients still send.
            .credentialFields(ConfigField.secret(TelegramSettings.BOT_TOKEN,
                    "The bot's token from @BotFather, such as 123456:ABC-DEF...").withAliases("token"))
            .configFields(
                    ConfigField.optional(TelegramSettings.PARSE_MODE, FieldType.STRING,
                            "How formatted text is sent: HTML (default) or MarkdownV2; plain text is sent as is"),
                    ConfigField.optional(TelegramSettings.API_BASE_URL, FieldType.URL,
                            "A self-hosted Bot API server, such as http://telegram-bot-api:8081 (scheme, host and port only)"),
                    ConfigField.optional(TelegramSettings.MAX_CONCURRENT_REQUESTS, FieldType.INTEGER,
                            "Most Bot API requests in flight at once, per GateKit instance, 1-256 (default 32); "
                                    + "more sends wait their turn"))
            .defaultLimits(new DeliveryLimits(30, 1))
            .targetTypes(TargetType.USER, TargetType.GROUP, TargetType.CHANNEL)
            .maxTextLength(MAX_TEXT_LENGTH)
            .build();

    /** Creates the provider; PF4J calls this. */
    public TelegramPlatformProvider() {
    }

    @Override
    public PlatformDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Calls {@code getMe}: a token Telegram refuses names {@code botToken} with Telegram's own description. */
    @Override
    public void validateCredentials(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        TelegramSettings settings = TelegramSettings.from(configuration, context);
        try (BotApi api = new BotApi(settings, context.addressPolicy())) {
            api.client().execute(new GetMe());
        } catch (TelegramApiException e) {
            throw TelegramFailures.toInvalidConfiguration(e);
        }
    }

    @Override
    public PlatformClient openClient(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        return TelegramPlatformClient.open(TelegramSettings.from(configuration, context), context);
    }

    /**
     * Calls {@code deleteWebhook} when Telegram's registered webhook is still this configuration's
     * URL (a configuration that took the bot over since keeps its own). Best effort: a failure is
     * logged through the context's logger, as the host ignores what this throws.
     */
    @Override
    public void configurationRemoved(PlatformConfiguration configuration, PlatformContext context) {
        try {
            if (removeWebhook(configuration, context)) {
                context.logger().info("Removed the Telegram webhook of deleted configuration {}", configuration.configurationId());
            } else {
                context.logger().info("Telegram has no webhook of deleted configuration {} registered; left as is",
                        configuration.configurationId());
            }
        } catch (InvalidConfigurationException | DeliveryException e) {
            context.logger().warn("Could not remove the Telegram webhook of deleted configuration {}: {}",
                    configuration.configurationId(), e.getMessage());
        }
    }

    /**
     * Removes the configuration's webhook from Telegram when it is still registered there; what
     * {@link #configurationRemoved} does, reporting the outcome.
     *
     * @param configuration the deleted configuration
     * @param context       its context (for the webhook URL and API base URL)
     * @return true when a webhook was removed
     * @throws InvalidConfigurationException when the configuration is unusable
     * @throws DeliveryException             when Telegram could not be asked
     */
    public boolean removeWebhook(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException, DeliveryException {
        TelegramPlatformClient client = new TelegramPlatformClient(TelegramSettings.from(configuration, context), context);
        try {
            return client.deleteWebhook();
        } finally {
            client.close();
        }
    }

    private static String readVersion() {
        try (InputStream in = TelegramPlatformProvider.class.getResourceAsStream("telegram-plugin.properties")) {
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
