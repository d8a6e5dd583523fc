package dev.gatekit.plugin.slack;

import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformContext;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One configuration's values, checked once when a client opens.
 *
 * @param configurationId the host's id of the configuration
 * @param botToken        the bot token ({@code xoxb-...}); never logged
 * @param signingSecret   the app's signing secret, or null when the configuration only sends
 * @param apiBaseUrl      where Slack's Web API lives: the context's override, else the
 *                        {@code apiBaseUrl} setting, else {@code https://slack.com/}; methods are
 *                        called at {@code <apiBaseUrl>api/<method>}
 * @param maxConcurrentRequests the most sends this client runs at once (one Web API call each at a time)
 */
record SlackSettings(String configurationId, String botToken, String signingSecret, URI apiBaseUrl,
        int maxConcurrentRequests) {

    static final String BOT_TOKEN = "botToken";
    static final String SIGNING_SECRET = "signingSecret";
    static final String API_BASE_URL = "apiBaseUrl";
    static final URI PUBLIC_API = URI.create("https://slack.com/");
    static final String MAX_CONCURRENT_REQUESTS = "maxConcurrentRequests";
    /** The default limits allow 10 messages a second: 16 at once keep that pace up to 1.6 s per answer. */
    static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 16;
    static final int MAX_MAX_CONCURRENT_REQUESTS = 256;

    /** Slack tokens are {@code xox<kind>-...}; anything else can never work, so it is refused before any call. */
    private static final Pattern TOKEN = Pattern.compile("xox[a-z]-[A-Za-z0-9-]{1,250}");

    @Override
    public String toString() {
        return "SlackSettings[configurationId=" + configurationId + ", botToken=****, signingSecret="
                + (signingSecret == null ? "none" : "****") + ", apiBaseUrl=" + apiBaseUrl
                + ", maxConcurrentRequests=" + maxConcurrentRequests + "]";
    }

    static SlackSettings from(PlatformConfiguration configuration, PlatformContext context)
            throws InvalidConfigurationException {
        String token = configuration.requireCredential(BOT_TOKEN).trim();
        if (!TOKEN.matcher(token).matches()) {
            throw new InvalidConfigurationException(BOT_TOKEN,
                    "not a Slack token: expected the bot token as Slack shows it, 'xoxb-...'");
        }
        String signingSecret = configuration.credential(SIGNING_SECRET).map(String::trim).orElse(null);
        URI setting = null;
        if (configuration.setting(API_BASE_URL).isPresent()) {
            setting = apiBaseUrl(configuration.setting(API_BASE_URL).get());
            if (setting == null) {
                throw new InvalidConfigurationException(API_BASE_URL,
                        "apiBaseUrl must be an http(s) URL with a host, such as https://slack.com/");
            }
        }
        URI base = context.apiBaseUrl().map(uri -> apiBaseUrl(uri.toString())).orElse(setting);
        return new SlackSettings(configuration.configurationId(), token, signingSecret, base == null ? PUBLIC_API : base,
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

    /** The prefix slack-api-client puts before a method name: {@code <base>api/}. */
    String methodsEndpointUrlPrefix() {
        return apiBaseUrl.resolve("api/").toString();
    }

    private static URI apiBaseUrl(String value) {
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
        // A base without a trailing slash would make resolve("api/") drop its last segment.
        return path.endsWith("/") ? uri : URI.create(uri + "/");
    }
}
