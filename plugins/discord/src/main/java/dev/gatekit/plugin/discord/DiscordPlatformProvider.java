package dev.gatekit.plugin.discord;

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
import dev.gatekit.plugin.api.TargetType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.pf4j.Extension;

/**
 * Discord through JDA: a bot that sends to channels, threads and users, receives messages, edits
 * and interactions over the gateway, and answers the interactions endpoint at GateKit's webhook URL.
 * See the module's README for the fields, what is supported and how failures are reported.
 *
 * <p>Delivery limits: Discord allows a bot about 50 requests per second in all, and a channel about
 * five messages every five seconds; the descriptor declares 40 per second per configuration (room for
 * the DM channel a message to a user opens) and 1 per second per target. JDA queues within Discord's
 * own buckets beyond that.
 */
@Extension
public class DiscordPlatformProvider implements PlatformProvider {

    private static final String VERSION = readVersion();

    /** Text longer than one message is split; this caps the split at ten messages. */
    static final int MAX_TEXT_LENGTH = 10 * DiscordText.MESSAGE_LIMIT;

    private static final PlatformDescriptor DESCRIPTOR = PlatformDescriptor.builder("discord", "Discord", VERSION)
            .capabilities(Capability.TEXT, Capability.MARKDOWN, Capability.ATTACHMENTS, Capability.INLINE_ATTACHMENTS,
                    Capability.BUTTONS, Capability.LINK_BUTTONS, Capability.EMBEDS, Capability.THREADS, Capability.REPLIES,
                    Capability.SILENT, Capability.INBOUND_WEBHOOK, Capability.INBOUND_CONNECTION)
            .credentialFields(
                    ConfigField.secret(DiscordSettings.BOT_TOKEN, "The bot's token, from the Bot page of the application in the Developer Portal"),
                    ConfigField.optionalSecret(DiscordSettings.PUBLIC_KEY,
                            "The application's public key (General Information), 64 hex characters; required to answer the interactions endpoint"))
            .configFields(
                    ConfigField.optional(DiscordSettings.GUILD_ID, FieldType.STRING,
                            "Receive only from this guild (server) id; DMs are always received"),
                    ConfigField.optional(DiscordSettings.INTENTS, FieldType.STRING,
                            "Gateway intents, comma-separated (default GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT; GUILDS is always added)"),
                    ConfigField.optional(DiscordSettings.COMMAND_REPLY, FieldType.STRING,
                            "The ephemeral reply a slash command is acknowledged with (default \"Received.\")"),
                    ConfigField.optional(DiscordSettings.PRIVATE_ATTACHMENT_URLS, FieldType.BOOLEAN,
                            "Allow attachment URLs on loopback or private addresses (default false)"),
                    ConfigField.optional(DiscordSettings.API_BASE_URL, FieldType.URL,
                            "Where Discord lives, default https://discord.com/ (REST at <url>api/v10/, the gateway from <url>api/v10/gateway/bot)"))
            .defaultLimits(new DeliveryLimits(40, 1))
            .targetTypes(TargetType.USER, TargetType.CHANNEL, TargetType.THREAD)
            .maxTextLength(MAX_TEXT_LENGTH)
            .build();

    /** Creates the provider; PF4J calls this. */
    public DiscordPlatformProvider() {
    }

    @Override
    public PlatformDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Calls {@code users/@me}: a token Discord refuses names {@code botToken}. */
    @Override
    public void validateCredentials(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        DiscordSettings settings = DiscordSettings.from(configuration, context);
        new DiscordBootstrapApi(context.httpClient(), settings).checkToken();
    }

    /** Opens the client and starts its JDA session in the background. */
    @Override
    public PlatformClient openClient(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        return new DiscordPlatformClient(DiscordSettings.from(configuration, context), context);
    }

    private static String readVersion() {
        try (InputStream in = DiscordPlatformProvider.class.getResourceAsStream("discord-plugin.properties")) {
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
