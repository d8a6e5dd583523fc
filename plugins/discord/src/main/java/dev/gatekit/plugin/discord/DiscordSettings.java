package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformContext;
import java.net.URI;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.requests.GatewayIntent;

/**
 * One configuration's values, checked once when a client opens.
 *
 * @param configurationId the host's id of the configuration
 * @param botToken        the bot token; never logged
 * @param publicKey       the application's Ed25519 public key (32 bytes), or null when the
 *                        configuration does not take interactions at its webhook URL
 * @param guildId         the one guild whose messages are received, or null for every guild
 * @param intents         the gateway intents to identify with (JDA always adds {@code GUILDS})
 * @param apiBaseUrl      where Discord lives: the context's override, else the {@code apiBaseUrl}
 *                        setting, else {@code https://discord.com/}
 * @param discoverGateway true when the gateway URL must be asked from {@code gateway/bot} (a base
 *                        URL other than Discord's), false to use JDA's default gateway
 * @param commandReply    the ephemeral text a slash command is acknowledged with
 * @param privateAttachmentUrls whether attachment URLs may point at loopback or private addresses
 */
record DiscordSettings(String configurationId, String botToken, byte[] publicKey, String guildId,
                       Set<GatewayIntent> intents, URI apiBaseUrl, boolean discoverGateway, String commandReply,
                       boolean privateAttachmentUrls) {

    static final String BOT_TOKEN = "botToken";
    static final String PUBLIC_KEY = "applicationPublicKey";
    static final String GUILD_ID = "guildId";
    static final String INTENTS = "intents";
    static final String API_BASE_URL = "apiBaseUrl";
    static final String COMMAND_REPLY = "commandReply";
    static final String PRIVATE_ATTACHMENT_URLS = "attachmentsFromPrivateAddresses";

    static final URI PUBLIC_API = URI.create("https://discord.com/");
    static final String API_PATH = "api/v10/";
    static final String DEFAULT_COMMAND_REPLY = "Received.";
    /** Messages in channels and DMs, with their text (a privileged intent, enabled in the Developer Portal). */
    static final Set<GatewayIntent> DEFAULT_INTENTS = EnumSet.of(GatewayIntent.GUILD_MESSAGES,
            GatewayIntent.DIRECT_MESSAGES, GatewayIntent.MESSAGE_CONTENT);

    /** Three base64url segments: the bot's id, a timestamp and an HMAC. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{10,}");
    private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");
    private static final Pattern HEX_KEY = Pattern.compile("[0-9a-fA-F]{64}");

    @Override
    public String toString() {
        return "DiscordSettings[configurationId=" + configurationId + ", botToken=****, publicKey="
                + (publicKey == null ? "none" : "set") + ", guildId=" + guildId + ", intents=" + intents
                + ", apiBaseUrl=" + apiBaseUrl + "]";
    }

    /** Where JDA sends REST calls: {@code <apiBaseUrl>api/v10/}. */
    String restBaseUrl() {
        return apiBaseUrl.resolve(API_PATH).toString();
    }

    @Override
    public byte[] publicKey() {
        return publicKey == null ? null : publicKey.clone();
    }

    static DiscordSettings from(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        String token = configuration.requireCredential(BOT_TOKEN).trim();
        if (token.regionMatches(true, 0, "Bot ", 0, 4)) {
            token = token.substring(4).trim();
        }
        if (!TOKEN.matcher(token).matches()) {
            throw new InvalidConfigurationException(BOT_TOKEN,
                    "not a Discord bot token: expected the token as the Developer Portal shows it (three parts separated by dots)");
        }
        byte[] publicKey = null;
        if (configuration.credential(PUBLIC_KEY).isPresent()) {
            String hex = configuration.credential(PUBLIC_KEY).get().trim();
            if (!HEX_KEY.matcher(hex).matches()) {
                throw new InvalidConfigurationException(PUBLIC_KEY,
                        "the application's public key is 64 hexadecimal characters (General Information in the Developer Portal)");
            }
            publicKey = HexFormat.of().parseHex(hex);
        }
        String guildId = configuration.setting(GUILD_ID).map(String::trim).orElse(null);
        if (guildId != null && !SNOWFLAKE.matcher(guildId).matches()) {
            throw new InvalidConfigurationException(GUILD_ID, "a guild id is a number (a Discord snowflake)");
        }
        Set<GatewayIntent> intents = configuration.setting(INTENTS).isPresent()
                ? intents(configuration.setting(INTENTS).get()) : EnumSet.copyOf(DEFAULT_INTENTS);
        URI setting = null;
        if (configuration.setting(API_BASE_URL).isPresent()) {
            setting = baseUrl(configuration.setting(API_BASE_URL).get());
            if (setting == null) {
                throw new InvalidConfigurationException(API_BASE_URL,
                        "apiBaseUrl must be an http(s) URL with a host, such as https://discord.com/");
            }
        }
        URI base = context.apiBaseUrl().map(uri -> baseUrl(uri.toString())).orElse(setting);
        String commandReply = configuration.setting(COMMAND_REPLY).map(String::trim).orElse(DEFAULT_COMMAND_REPLY);
        if (commandReply.length() > 2000) {
            throw new InvalidConfigurationException(COMMAND_REPLY, "commandReply is at most 2000 characters");
        }
        String privateUrls = configuration.setting(PRIVATE_ATTACHMENT_URLS).orElse("false").trim();
        if (!privateUrls.equals("true") && !privateUrls.equals("false")) {
            throw new InvalidConfigurationException(PRIVATE_ATTACHMENT_URLS, "must be true or false");
        }
        return new DiscordSettings(configuration.configurationId(), token, publicKey, guildId, intents,
                base == null ? PUBLIC_API : base, base != null && !base.equals(PUBLIC_API), commandReply,
                Boolean.parseBoolean(privateUrls));
    }

    private static Set<GatewayIntent> intents(String value) throws InvalidConfigurationException {
        Set<GatewayIntent> intents = EnumSet.noneOf(GatewayIntent.class);
        for (String name : value.split("[,\\s]+")) {
            // JDA always identifies with GUILDS: channels reach its cache only so, and sends to a channel need them there.
            if (name.isBlank() || name.trim().equalsIgnoreCase("GUILDS")) {
                continue;
            }
            try {
                intents.add(GatewayIntent.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(INTENTS, "unknown gateway intent '" + name.trim()
                        + "'; use Discord's names, such as GUILD_MESSAGES, DIRECT_MESSAGES, MESSAGE_CONTENT");
            }
        }
        return intents;
    }

    private static URI baseUrl(String value) {
        URI uri;
        try {
            uri = URI.create(value.trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null) {
            return null;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        // A base without a trailing slash would make resolve("api/v10/") drop its last segment.
        return path.endsWith("/") ? uri : URI.create(uri + "/");
    }
}
