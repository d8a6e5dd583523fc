package dev.gatekit.core.webhooks;

import dev.gatekit.core.crypto.CredentialCipher;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.platforms.PlatformClients;
import dev.gatekit.core.platforms.PlatformConfigurationService;
import dev.gatekit.core.platforms.PlatformContexts;
import dev.gatekit.core.platforms.StoredPlatformConfiguration;
import dev.gatekit.core.plugins.PlatformLease;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform's request to {@code /webhooks/{platform}/{token}}: the token picks the configuration,
 * its plugin checks authenticity and parses the events (under a lease), the events are stored
 * before the answer goes out, and the plugin's answer is returned. A request that is not authentic
 * stores nothing. Sending the events on happens after, from the event queue.
 */
public class WebhookService {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookService.class);

    /** What to answer the platform. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    private final PlatformConfigurationService configurations;
    private final PlatformRegistry registry;
    private final PlatformClients clients;
    private final PlatformContexts contexts;
    private final InboundStore store;
    private final CredentialCipher cipher;
    private final String decoyCiphertext;
    private final byte[] decoyKey = new byte[32];

    public WebhookService(PlatformConfigurationService configurations, PlatformRegistry registry, PlatformClients clients,
                          PlatformContexts contexts, InboundStore store, CredentialCipher cipher) {
        this.configurations = configurations;
        this.registry = registry;
        this.clients = clients;
        this.contexts = contexts;
        this.store = store;
        this.cipher = cipher;
        this.decoyCiphertext = cipher.encrypt("{\"signingSecret\":\"decoy-secret-of-typical-length-0000\"}");
        new SecureRandom().nextBytes(decoyKey);
    }

    public Answer handle(String platform, String token, WebhookRequest request) {
        Optional<StoredPlatformConfiguration> found = parseToken(token)
                .flatMap(t -> configurations.findByWebhookToken(platform, t))
                .filter(StoredPlatformConfiguration::isActive);
        if (found.isEmpty()) {
            // The same work a known token costs (opening credentials, an HMAC over the body), so the
            // answer's timing does not tell which tokens exist.
            decoyWork(request);
            throw ApiException.notFound("Not found");
        }
        StoredPlatformConfiguration configuration = found.get();
        Optional<PlatformLease> lease = registry.tryAcquire(configuration.platform());
        if (lease.isEmpty()) {
            throw new ApiException(503, "platform_unavailable", "The " + configuration.platform()
                    + " plugin is not loaded; try again later");
        }
        WebhookResult result;
        try (PlatformLease held = lease.get()) {
            PlatformClient client = clients.client(held, configuration.id(), () -> configurations.decrypt(configuration),
                    contexts.forConfiguration(configuration));
            result = client.handleWebhook(request);
        } catch (InvalidConfigurationException e) {
            throw new ApiException(503, "platform_misconfigured", "This platform configuration cannot be opened");
        } catch (RuntimeException | LinkageError e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            LOG.warn("The {} plugin failed on a webhook for configuration {}: {}", configuration.platform(), configuration.id(), e.toString());
            throw new ApiException(500, "plugin_error", "The platform plugin could not handle this request");
        }
        if (result == null) {
            throw new ApiException(500, "plugin_error", "The platform plugin could not handle this request");
        }
        if (result.authentic()) {
            for (InboundEvent event : result.events()) {
                store.store(configuration, event);
            }
        } else if (isPlainRejection(result)) {
            // The API's one error shape, with the plugin's reason as the message.
            String reason = new String(result.responseBody(), StandardCharsets.UTF_8).strip();
            throw new ApiException(result.httpStatus(), "webhook_rejected", reason.isEmpty() ? "Webhook request rejected" : reason);
        }
        return new Answer(result.httpStatus(), result.contentType(), result.responseBody());
    }

    /** A {@link WebhookResult#rejected} answer: a 4xx with the reason as plain text, nothing platform-specific. */
    private static boolean isPlainRejection(WebhookResult result) {
        return result.httpStatus() >= 400 && result.httpStatus() < 500
                && (result.contentType() == null || result.contentType().startsWith("text/plain"));
    }

    /** Events from a connection a plugin holds (not the webhook) land in the same store. */
    public void publishFromConnection(UUID configurationId, InboundEvent event) {
        Optional<StoredPlatformConfiguration> configuration = configurations.find(configurationId);
        if (configuration.isEmpty()) {
            LOG.info("Dropped inbound {} from removed configuration {}", event.getClass().getSimpleName(), configurationId);
            return;
        }
        store.store(configuration.get(), event);
    }

    private void decoyWork(WebhookRequest request) {
        cipher.decrypt(decoyCiphertext);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(decoyKey, "HmacSHA256"));
            byte[] digest = mac.doFinal(request.body());
            MessageDigest.isEqual(digest, request.header("X-Signature").orElse("").getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static Optional<UUID> parseToken(String token) {
        if (token == null || token.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(token));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
