package dev.gatekit.plugin.telegram;

import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformContext;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetWebhookInfo;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.WebhookInfo;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * One Telegram bot for one platform configuration: sends through the Bot API and reads the
 * updates Telegram posts to the configuration's webhook URL. Thread-safe: the telegrambots client
 * is, and the plan of each send is its own.
 *
 * <p><b>Webhook registration.</b> Opening the client calls {@code setWebhook} with the context's
 * {@link PlatformContext#webhookUrl()} and the {@link WebhookSecret derived secret token}. Every
 * GateKit instance, and every reopen after a reload, registers the same URL and secret, so the
 * call is idempotent. A failure (Telegram unreachable, a URL Telegram refuses such as plain
 * http) does not fail the open: sending works without a webhook. The client then reports
 * {@link HealthStatus.State#DEGRADED} and tries again on a later send, at most once a minute.
 *
 * <p><b>Webhook removal.</b> {@link #close()} never touches the webhook: the host closes clients on
 * reload and configuration changes too. Removal is {@link #deleteWebhook()}, which the provider's
 * {@link TelegramPlatformProvider#configurationRemoved configurationRemoved} calls when the host
 * reports the configuration deleted.
 */
public final class TelegramPlatformClient implements PlatformClient {

    private static final Duration REGISTRATION_RETRY = Duration.ofMinutes(1);

    private final TelegramSettings settings;
    private final PlatformContext context;
    private final BotApi api;
    private final String secretToken;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String webhookProblem;
    private volatile Instant lastRegistration = Instant.MIN;
    private volatile String credentialProblem;

    TelegramPlatformClient(TelegramSettings settings, PlatformContext context) {
        this.settings = settings;
        this.context = context;
        this.api = new BotApi(settings);
        this.secretToken = WebhookSecret.derive(settings.botToken(), settings.configurationId());
    }

    /** Opens the client and registers the webhook (see the class comment). */
    static TelegramPlatformClient open(TelegramSettings settings, PlatformContext context) {
        TelegramPlatformClient client = new TelegramPlatformClient(settings, context);
        client.registerWebhook();
        return client;
    }

    /**
     * Registers this configuration's webhook URL and secret token with Telegram.
     *
     * @return true when Telegram accepted it
     */
    boolean registerWebhook() {
        lastRegistration = context.clock().instant();
        SetWebhook setWebhook = SetWebhook.builder()
                .url(context.webhookUrl().toString())
                .secretToken(secretToken)
                .allowedUpdates(TelegramUpdates.ALLOWED_UPDATES)
                .build();
        try {
            api.client().execute(setWebhook);
            webhookProblem = null;
            return true;
        } catch (TelegramApiException e) {
            DeliveryException failure = TelegramFailures.toDeliveryException("setwebhook", e);
            webhookProblem = failure.getMessage();
            if (failure instanceof PermanentDeliveryException permanent
                    && ReasonCodes.UNAUTHORIZED.equals(permanent.reasonCode())) {
                credentialProblem = failure.getMessage();
            }
            context.logger().warn("Telegram webhook not registered for configuration {}: {}",
                    settings.configurationId(), failure.getMessage());
            return false;
        }
    }

    /**
     * Removes the webhook from Telegram, if it is still this configuration's: for when the
     * configuration is deleted. Another configuration that took the bot over since keeps its
     * webhook.
     *
     * @return true when a webhook was removed, false when Telegram had another one or none
     * @throws DeliveryException when Telegram could not be asked, mapped as for a send
     */
    public boolean deleteWebhook() throws DeliveryException {
        try {
            WebhookInfo info = api.client().execute(new GetWebhookInfo());
            if (info == null || !context.webhookUrl().toString().equals(info.getUrl())) {
                return false;
            }
            return Boolean.TRUE.equals(api.client().execute(new DeleteWebhook()));
        } catch (TelegramApiException e) {
            throw TelegramFailures.toDeliveryException("deletewebhook", e);
        }
    }

    /** The secret token Telegram sends back in {@value WebhookSecret#HEADER}. */
    String secretToken() {
        return secretToken;
    }

    @Override
    public DeliveryReceipt send(OutboundMessage message) throws DeliveryException {
        if (closed.get()) {
            throw new RetryableDeliveryException("the Telegram client is closed");
        }
        SendPlan plan = SendPlan.of(message, settings.parseMode());
        String chatId = message.target().id();
        Map<String, String> details = new LinkedHashMap<>();
        List<String> messageIds = new ArrayList<>();
        boolean migrated = false;
        for (SendPlan.Step step : plan.steps()) {
            while (true) {
                try {
                    step.execute(api.client(), chatId).forEach(id -> messageIds.add(String.valueOf(id)));
                    break;
                } catch (TelegramApiException e) {
                    Optional<Long> migratedTo = TelegramFailures.migratedTo(e);
                    if (migratedTo.isPresent() && !migrated) {
                        // The group became a supergroup with a new id: retry there once, and say so.
                        migrated = true;
                        details.put("migratedFromChatId", chatId);
                        chatId = String.valueOf(migratedTo.get());
                        details.put("migratedToChatId", chatId);
                        context.logger().info("Telegram chat {} migrated to {}; delivering there",
                                details.get("migratedFromChatId"), chatId);
                        continue;
                    }
                    DeliveryException failure = TelegramFailures.toDeliveryException(step.method(), e);
                    noteCredentials(failure);
                    throw failure;
                }
            }
        }
        credentialProblem = null;
        details.put("chatId", chatId);
        if (messageIds.size() > 1) {
            details.put("messageCount", Integer.toString(messageIds.size()));
        }
        retryRegistrationIfDue();
        return new DeliveryReceipt(messageIds, details);
    }

    private void noteCredentials(DeliveryException failure) {
        if (failure instanceof PermanentDeliveryException permanent && ReasonCodes.UNAUTHORIZED.equals(permanent.reasonCode())) {
            credentialProblem = failure.getMessage();
        }
    }

    private void retryRegistrationIfDue() {
        if (webhookProblem != null
                && context.clock().instant().isAfter(lastRegistration.plus(REGISTRATION_RETRY))) {
            registerWebhook();
        }
    }

    @Override
    public WebhookResult handleWebhook(WebhookRequest request) {
        if (!WebhookSecret.matches(secretToken, request.header(WebhookSecret.HEADER).orElse(null))) {
            return WebhookResult.rejected(401, "missing or wrong " + WebhookSecret.HEADER);
        }
        if (!"POST".equalsIgnoreCase(request.method())) {
            return WebhookResult.rejected(405, "Telegram posts updates");
        }
        TelegramUpdates.Parsed parsed;
        try {
            parsed = TelegramUpdates.parse(request.body(), request.receivedAt());
        } catch (TelegramUpdates.MalformedUpdateException e) {
            // Authentic but unreadable: acknowledge, or Telegram redelivers it and holds back later updates.
            context.logger().warn("ignoring an unreadable Telegram update for configuration {}: {}",
                    settings.configurationId(), e.getMessage());
            return WebhookResult.accepted(List.of());
        }
        if (parsed.webhookAnswer() != null) {
            return WebhookResult.reply(200, "application/json", parsed.webhookAnswer(), parsed.events());
        }
        return WebhookResult.accepted(parsed.events());
    }

    @Override
    public HealthStatus health() {
        if (closed.get()) {
            return HealthStatus.down("closed");
        }
        String credentials = credentialProblem;
        if (credentials != null) {
            return HealthStatus.down(credentials);
        }
        String webhook = webhookProblem;
        return webhook == null ? HealthStatus.up() : HealthStatus.degraded("webhook not registered: " + webhook);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            api.close();
        }
    }
}
