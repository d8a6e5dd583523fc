package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformContext;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One configuration's values, checked once when a client opens.
 *
 * @param accessToken     the system user's (or temporary) access token, sent as a bearer token; never logged
 * @param appSecret       the Meta app's secret, the key of {@code X-Hub-Signature-256}; never logged
 * @param verifyToken     the token Meta echoes in the webhook verification handshake; never logged
 * @param phoneNumberId   the business phone number's id (not the number itself)
 * @param graphApiVersion the Graph API version in every path, such as {@code v26.0}
 * @param apiBaseUrl      the Graph API: the context's override, else the {@code apiBaseUrl} setting,
 *                        else {@code https://graph.facebook.com}; no trailing slash
 * @param listButtonText  the label of the button that opens a list of more than three choices
 */
record WhatsAppSettings(String accessToken, String appSecret, String verifyToken, String phoneNumberId, String graphApiVersion,
                        URI apiBaseUrl, String listButtonText) {

    static final String ACCESS_TOKEN = "accessToken";
    static final String APP_SECRET = "appSecret";
    static final String VERIFY_TOKEN = "verifyToken";
    static final String PHONE_NUMBER_ID = "phoneNumberId";
    static final String GRAPH_API_VERSION = "graphApiVersion";
    static final String API_BASE_URL = "apiBaseUrl";
    static final String LIST_BUTTON_TEXT = "listButtonText";

    static final URI PUBLIC_API = URI.create("https://graph.facebook.com");
    /** Released July 2026 and supported into 2028; override with {@code graphApiVersion} to move on. */
    static final String DEFAULT_GRAPH_API_VERSION = "v26.0";
    static final String DEFAULT_LIST_BUTTON_TEXT = "Choose";
    /** WhatsApp's limit for the list button's label. */
    static final int MAX_LIST_BUTTON_TEXT = 20;

    private static final Pattern PHONE_NUMBER_ID_FORMAT = Pattern.compile("[0-9]{1,30}");
    private static final Pattern VERSION_FORMAT = Pattern.compile("v[0-9]{1,3}\\.[0-9]{1,2}");

    static WhatsAppSettings from(PlatformConfiguration configuration, PlatformContext context) throws InvalidConfigurationException {
        String accessToken = configuration.requireCredential(ACCESS_TOKEN).trim();
        String appSecret = configuration.requireCredential(APP_SECRET).trim();
        String verifyToken = configuration.requireCredential(VERIFY_TOKEN).trim();
        String phoneNumberId = configuration.requireSetting(PHONE_NUMBER_ID).trim();
        if (!PHONE_NUMBER_ID_FORMAT.matcher(phoneNumberId).matches()) {
            throw new InvalidConfigurationException(PHONE_NUMBER_ID,
                    "phoneNumberId is the numeric id WhatsApp Manager shows for the number (API Setup), not the phone number");
        }
        String version = configuration.setting(GRAPH_API_VERSION).map(v -> v.trim().toLowerCase(Locale.ROOT))
                .orElse(DEFAULT_GRAPH_API_VERSION);
        if (!VERSION_FORMAT.matcher(version).matches()) {
            throw new InvalidConfigurationException(GRAPH_API_VERSION, "graphApiVersion looks like v26.0, not '" + version + "'");
        }
        String listButtonText = configuration.setting(LIST_BUTTON_TEXT).map(String::trim).orElse(DEFAULT_LIST_BUTTON_TEXT);
        if (listButtonText.length() > MAX_LIST_BUTTON_TEXT) {
            throw new InvalidConfigurationException(LIST_BUTTON_TEXT,
                    "listButtonText is at most " + MAX_LIST_BUTTON_TEXT + " characters on WhatsApp");
        }
        URI base = context.apiBaseUrl().orElse(null);
        if (base == null && configuration.setting(API_BASE_URL).isPresent()) {
            base = apiBaseUrl(configuration.setting(API_BASE_URL).get());
        }
        return new WhatsAppSettings(accessToken, appSecret, verifyToken, phoneNumberId, version,
                withoutTrailingSlash(base == null ? PUBLIC_API : base), listButtonText);
    }

    private static URI apiBaseUrl(String value) throws InvalidConfigurationException {
        try {
            URI uri = URI.create(value.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawQuery() == null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidConfigurationException(API_BASE_URL, "apiBaseUrl must be an http(s) URL, such as https://graph.facebook.com");
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    /** {@code <base>/<version>/<phone number id><suffix>}. */
    URI phoneNumberUri(String suffix) {
        return URI.create(apiBaseUrl + "/" + graphApiVersion + "/" + phoneNumberId + suffix);
    }

    @Override
    public String toString() {
        return "WhatsAppSettings[accessToken=****, appSecret=****, verifyToken=****, phoneNumberId=" + phoneNumberId
                + ", graphApiVersion=" + graphApiVersion + ", apiBaseUrl=" + apiBaseUrl + ", listButtonText=" + listButtonText + "]";
    }
}
