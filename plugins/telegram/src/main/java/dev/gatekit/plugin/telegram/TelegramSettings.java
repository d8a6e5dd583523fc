package dev.gatekit.plugin.telegram;

import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformContext;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One configuration's values, checked once when a client opens.
 *
 * @param configurationId the host's id of the configuration (an input of the webhook secret)
 * @param botToken        the token from BotFather; never logged
 * @param parseMode       how formatted text is rendered
 * @param apiBaseUrl      the Bot API server: the context's override, else the {@code apiBaseUrl}
 *                        setting, else {@code https://api.telegram.org}
 * @param maxConcurrentRequests the most Bot API requests in flight at once for this client
 */
record TelegramSettings(String configurationId, String botToken, ParseMode parseMode, URI apiBaseUrl,
        int maxConcurrentRequests) {

    static final String BOT_TOKEN = "botToken";
    static final String PARSE_MODE = "parseMode";
    static final String API_BASE_URL = "apiBaseUrl";
    static final String MAX_CONCURRENT_REQUESTS = "maxConcurrentRequests";
    /** Telegram allows about 30 messages a second per bot: 32 requests at once keep that pace up to a second per answer. */
    static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 32;
    static final int MAX_MAX_CONCURRENT_REQUESTS = 256;
    static final URI PUBLIC_API = URI.create("https://api.telegram.org");

    /** A token is {@code <bot id>:<secret>}; anything else can never work, so it is refused before any call. */
    private static final Pattern TOKEN = Pattern.compile("[0-9]{1,20}:[A-Za-z0-9_-]{1,200}");

    /** Telegram's two parse modes that can express everything we render. Legacy {@code Markdown} is not offered. */
    enum ParseMode {
        MARKDOWN_V2("MarkdownV2"),
        HTML("HTML");

        private final String wireName;

        ParseMode(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    @Override
    public String toString() {
        return "TelegramSettings[configurationId=" + configurationId + ", botToken=****, parseMode=" + parseMode
                + ", apiBaseUrl=" + apiBaseUrl + ", maxConcurrentRequests=" + maxConcurrentRequests + "]";
    }

    static TelegramSettings from(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        String token = configuration.requireCredential(BOT_TOKEN).trim();
        if (!TOKEN.matcher(token).matches()) {
            throw new InvalidConfigurationException(BOT_TOKEN,
                    "not a Telegram bot token: expected '<bot id>:<secret>' as BotFather shows it");
        }
        ParseMode parseMode = parseMode(configuration.setting(PARSE_MODE).orElse(null));
        URI setting = configuration.setting(API_BASE_URL).map(TelegramSettings::apiBaseUrl).orElse(null);
        if (setting == null && configuration.setting(API_BASE_URL).isPresent()) {
            throw new InvalidConfigurationException(API_BASE_URL,
                    "apiBaseUrl must be an http(s) URL with a host and no path, such as http://telegram-bot-api:8081");
        }
        URI base = context.apiBaseUrl().map(TelegramSettings::apiBaseUrl).orElse(setting);
        return new TelegramSettings(configuration.configurationId(), token, parseMode, base == null ? PUBLIC_API : base,
                maxConcurrentRequests(configuration.setting(MAX_CONCURRENT_REQUESTS).orElse(null)));
    }

    private static int maxConcurrentRequests(String value) throws InvalidConfigurationException {
        if (value == null) {
            return DEFAULT_MAX_CONCURRENT_REQUESTS;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(MAX_CONCURRENT_REQUESTS, "maxConcurrentRequests must be an integer", e);
        }
        if (parsed < 1 || parsed > MAX_MAX_CONCURRENT_REQUESTS) {
            throw new InvalidConfigurationException(MAX_CONCURRENT_REQUESTS,
                    "maxConcurrentRequests must be between 1 and " + MAX_MAX_CONCURRENT_REQUESTS);
        }
        return parsed;
    }

    private static ParseMode parseMode(String value) throws InvalidConfigurationException {
        if (value == null) {
            // HTML needs only three characters escaped and has no italic/underline ambiguity, so it is the safer default.
            return ParseMode.HTML;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "html" -> ParseMode.HTML;
            case "markdownv2", "markdown_v2", "markdown-v2" -> ParseMode.MARKDOWN_V2;
            default -> throw new InvalidConfigurationException(PARSE_MODE,
                    "parseMode must be MarkdownV2 or HTML, not '" + value + "'");
        };
    }

    /** Only scheme, host and port can be given to telegrambots: a path prefix would silently be dropped, so it is refused. */
    private static URI apiBaseUrl(Object value) {
        URI uri;
        try {
            uri = value instanceof URI given ? given : URI.create(value.toString().trim());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean rootPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/");
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !rootPath
                || uri.getRawQuery() != null) {
            return null;
        }
        return uri;
    }

    boolean https() {
        return "https".equalsIgnoreCase(apiBaseUrl.getScheme());
    }

    int port() {
        return apiBaseUrl.getPort() >= 0 ? apiBaseUrl.getPort() : https() ? 443 : 80;
    }
}
