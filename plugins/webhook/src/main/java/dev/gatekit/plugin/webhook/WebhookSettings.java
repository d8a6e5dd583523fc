package dev.gatekit.plugin.webhook;

import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformConfiguration;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/** A webhook configuration, parsed and checked once. */
record WebhookSettings(URI url, String signingSecret, Duration timeout, int maxConcurrentRequests) {

    static final String SIGNING_SECRET = "signingSecret";
    static final String URL = "url";
    static final String TIMEOUT_SECONDS = "timeoutSeconds";
    static final int MIN_SECRET_LENGTH = 16;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_TIMEOUT_SECONDS = 120;
    static final String MAX_CONCURRENT_REQUESTS = "maxConcurrentRequests";
    static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
    static final int MAX_MAX_CONCURRENT_REQUESTS = 1024;

    static WebhookSettings from(PlatformConfiguration configuration) throws InvalidConfigurationException {
        String secret = configuration.requireCredential(SIGNING_SECRET);
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new InvalidConfigurationException(SIGNING_SECRET,
                    "signingSecret must be at least " + MIN_SECRET_LENGTH + " characters");
        }
        String rawUrl = configuration.requireSetting(URL).trim();
        URI url;
        try {
            url = new URI(rawUrl);
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(URL, "url is not a valid URI", e);
        }
        if (!url.isAbsolute() || url.getHost() == null
                || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
            throw new InvalidConfigurationException(URL, "url must be an absolute http or https URL");
        }
        Duration timeout = DEFAULT_TIMEOUT;
        String rawTimeout = configuration.setting(TIMEOUT_SECONDS).orElse(null);
        if (rawTimeout != null) {
            int seconds;
            try {
                seconds = Integer.parseInt(rawTimeout.trim());
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(TIMEOUT_SECONDS, "timeoutSeconds must be an integer", e);
            }
            if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
                throw new InvalidConfigurationException(TIMEOUT_SECONDS,
                        "timeoutSeconds must be between 1 and " + MAX_TIMEOUT_SECONDS);
            }
            timeout = Duration.ofSeconds(seconds);
        }
        return new WebhookSettings(url, secret, timeout, maxConcurrentRequests(configuration));
    }

    private static int maxConcurrentRequests(PlatformConfiguration configuration) throws InvalidConfigurationException {
        String raw = configuration.setting(MAX_CONCURRENT_REQUESTS).orElse(null);
        if (raw == null) {
            return DEFAULT_MAX_CONCURRENT_REQUESTS;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(MAX_CONCURRENT_REQUESTS, "maxConcurrentRequests must be an integer", e);
        }
        if (value < 1 || value > MAX_MAX_CONCURRENT_REQUESTS) {
            throw new InvalidConfigurationException(MAX_CONCURRENT_REQUESTS,
                    "maxConcurrentRequests must be between 1 and " + MAX_MAX_CONCURRENT_REQUESTS);
        }
        return value;
    }

    @Override
    public String toString() {
        return "WebhookSettings[url=" + url + ", signingSecret=****, timeout=" + timeout
                + ", maxConcurrentRequests=" + maxConcurrentRequests + "]";
    }
}
