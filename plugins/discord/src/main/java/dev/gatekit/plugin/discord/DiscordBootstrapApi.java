package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.InvalidConfigurationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.utils.data.DataObject;

/**
 * The two REST calls made before a JDA session exists, with the host's HTTP client: checking a token
 * ({@code GET users/@me}) when a configuration is validated, and asking where the gateway is
 * ({@code GET gateway/bot}) when Discord is reached at a base URL of its own (a test server).
 */
final class DiscordBootstrapApi {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final DiscordSettings settings;

    DiscordBootstrapApi(HttpClient http, DiscordSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** Asks {@code users/@me} whether Discord accepts the bot token. */
    void checkToken() throws InvalidConfigurationException {
        HttpResponse<String> response;
        try {
            response = get("users/@me");
        } catch (IOException e) {
            throw DiscordFailures.toInvalidConfiguration(-1, DiscordFailures.describe(e));
        }
        if (response.statusCode() != 200) {
            throw DiscordFailures.toInvalidConfiguration(response.statusCode(), message(response.body()));
        }
    }

    /**
     * The gateway URL Discord's {@code gateway/bot} names.
     *
     * @return the websocket URL, such as {@code wss://gateway.discord.gg}
     * @throws IOException           when Discord cannot be asked or answers without a URL
     * @throws InvalidTokenException when Discord refuses the token, as JDA's own login would
     */
    String gatewayUrl() throws IOException {
        HttpResponse<String> response = get("gateway/bot");
        if (response.statusCode() == 401) {
            throw new InvalidTokenException();
        }
        if (response.statusCode() != 200) {
            throw new IOException("gateway/bot answered HTTP " + response.statusCode() + ": " + message(response.body()));
        }
        try {
            return DataObject.fromJson(response.body()).getString("url");
        } catch (RuntimeException e) {
            throw new IOException("gateway/bot answered without a url", e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.restBaseUrl()).resolve(path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bot " + settings.botToken())
                .header("User-Agent", "DiscordBot (https://gatekit.dev, GateKit)")
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Discord's {@code message} from an error body, else the body itself (cut short). */
    private static String message(String body) {
        try {
            DataObject json = DataObject.fromJson(body);
            if (!json.isNull("message")) {
                return json.getString("message");
            }
        } catch (RuntimeException e) {
            // Not JSON: an HTML error page, say.
        }
        return body.length() > 200 ? body.substring(0, 200) : body;
    }
}
