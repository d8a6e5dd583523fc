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
import dev.gatekit.plugin.api.InFlightLimit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.GetWebhookInfo;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.WebhookInfo;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * One Telegram bot for one platform configuration: sends through the Bot API and reads the
 * updates Telegram posts to the configuration's webhook URL. Thread-safe: the telegrambots client
 * is, and the plan of each send is its own. Sends are asynchronous ({@link #sendAsync}), at most
 * {@link TelegramSettings#maxConcurrentRequests()} in flight at once.
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
    private final InFlightLimit inFlight;
    private volatile String webhookProblem;
    private volatile Instant lastRegistration = Instant.MIN;
    private volatile String credentialProblem;

    TelegramPlatformClient(TelegramSettings settings, PlatformContext context) {
        this.settings = settings;
        this.context = context;
        this.api = new BotApi(settings, context.addressPolicy());
        this.inFlight = new InFlightLimit(settings.maxConcurrentRequests(), TelegramPlatformClient::closedFailure);
        this.secretToken = WebhookSecret.derive(settings.botToken(), settings.configurationId());
    }

    /** Opens the client and registers the webhook (see the class comment). */
    static TelegramPlatformClient open(TelegramSettings settings, PlatformContext context) {
        TelegramPlatformClient client = new TelegramPlatformClient(settings, context);
        client.registerWebhook();
        return client;
    }

    /**
     * Registers this configuration's webhook URL and secret token with Telegram, waiting for the
     * answer (opening a client may block; sending may not).
     *
     * @return true when Telegram accepted it
     */
    boolean registerWebhook() {
        return registerWebhookAsync().join();
    }

    /**
     * Registers this configuration's webhook URL and secret token with Telegram.
     *
     * @return completes with true when Telegram accepted it, false when not (never exceptionally)
     */
    CompletableFuture<Boolean> registerWebhookAsync() {
        lastRegistration = context.clock().instant();
        SetWebhook setWebhook = SetWebhook.builder()
                .url(context.webhookUrl().toString())
                .secretToken(secretToken)
                .allowedUpdates(TelegramUpdates.ALLOWED_UPDATES)
                .build();
        return api.client().executeAsync(setWebhook).handle((accepted, failure) -> {
            if (failure == null) {
                webhookProblem = null;
                return true;
            }
            DeliveryException mapped = TelegramFailures.toDeliveryException("setwebhook",
                    TelegramFailures.asTelegramException("setwebhook", failure));
            webhookProblem = mapped.getMessage();
            noteCredentials(mapped);
            context.logger().warn("Telegram webhook not registered for configuration {}: {}",
                    settings.configurationId(), mapped.getMessage());
            return false;
        });
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

    /**
     * Sends without blocking: the plan's calls are a chain of stages, each made when the one before
     * it has been answered, on OkHttp's threads. At most
     * {@link TelegramSettings#maxConcurrentRequests()} sends are in flight at once (each has one
     * call out at a time); the others wait in a queue without a thread, and a waiting send whose
     * stage the caller has completed (cancelled) is never made. {@code send} is the API's default:
     * this, joined.
     */
    @Override
    public CompletionStage<DeliveryReceipt> sendAsync(OutboundMessage message) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedFailure());
        }
        SendPlan plan;
        try {
            plan = SendPlan.of(message, settings.parseMode());
        } catch (PermanentDeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
        return inFlight.submit(() -> new Delivery(plan, message.target().id(), message.deliveredParts()).start());
    }

    /**
     * One send in progress: the plan's steps in order, the ids so far, and where the chat went. A retry
     * of a split message starts after the parts an earlier attempt delivered; a retryable failure
     * reports the parts delivered so far, so the next attempt does the same.
     */
    private final class Delivery {
        private final List<SendPlan.Step> steps;
        private final CompletableFuture<DeliveryReceipt> outcome = new CompletableFuture<>();
        private final Map<String, String> details = new LinkedHashMap<>();
        private final List<String> messageIds = new ArrayList<>();
        private final int firstStep;
        private String chatId;
        private boolean migrated;

        Delivery(SendPlan plan, String chatId, List<String> delivered) {
            this.steps = plan.steps();
            this.chatId = chatId;
            // Skip the leading steps whose messages were all delivered (an album counts whole or not at all).
            int step = 0;
            int covered = 0;
            while (step < steps.size() && covered + steps.get(step).parts() <= delivered.size()) {
                covered += steps.get(step).parts();
                step++;
            }
            this.firstStep = step;
            messageIds.addAll(delivered.subList(0, covered));
        }

        CompletableFuture<DeliveryReceipt> start() {
            run(firstStep);
            return outcome;
        }

        /** Makes step {@code index}; its answer makes the next one. Each runs after the one before, so no locking. */
        private void run(int index) {
            try {
                if (index == steps.size()) {
                    outcome.complete(delivered());
                    return;
                }
                SendPlan.Step step = steps.get(index);
                step.execute(api.client(), chatId).whenComplete((ids, failure) -> {
                    if (failure == null) {
                        ids.forEach(id -> messageIds.add(String.valueOf(id)));
                        run(index + 1);
                    } else {
                        failed(index, step, failure);
                    }
                });
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        }

        private void failed(int index, SendPlan.Step step, Throwable failure) {
            TelegramApiException telegram = TelegramFailures.asTelegramException(step.method(), failure);
            Optional<Long> migratedTo = TelegramFailures.migratedTo(telegram);
            if (migratedTo.isPresent() && !migrated) {
                // The group became a supergroup with a new id: retry there once, and say so.
                migrated = true;
                details.put("migratedFromChatId", chatId);
                chatId = String.valueOf(migratedTo.get());
                details.put("migratedToChatId", chatId);
                context.logger().info("Telegram chat {} migrated to {}; delivering there",
                        details.get("migratedFromChatId"), chatId);
                run(index);
                return;
            }
            DeliveryException mapped = TelegramFailures.toDeliveryException(step.method(), telegram);
            noteCredentials(mapped);
            if (migrated && mapped instanceof PermanentDeliveryException permanent) {
                // No receipt carries the new id now: the failure must, or the caller keeps sending to the old one.
                mapped = new PermanentDeliveryException(permanent.reasonCode(), permanent.getMessage() + " (chat "
                        + details.get("migratedFromChatId") + " is now the supergroup " + chatId + "; send there)", permanent,
                        permanent.platformStatus().isPresent() ? permanent.platformStatus().getAsInt() : null);
            }
            if (mapped instanceof RetryableDeliveryException retryable && !messageIds.isEmpty()) {
                mapped = retryable.withDeliveredParts(messageIds);
            }
            outcome.completeExceptionally(mapped);
        }

        private DeliveryReceipt delivered() {
            credentialProblem = null;
            details.put("chatId", chatId);
            if (messageIds.size() > 1) {
                details.put("messageCount", Integer.toString(messageIds.size()));
            }
            retryRegistrationIfDue();
            return new DeliveryReceipt(messageIds, details);
        }
    }

    private static RetryableDeliveryException closedFailure() {
        return new RetryableDeliveryException("the Telegram client is closed");
    }

    private void noteCredentials(DeliveryException failure) {
        if (failure instanceof PermanentDeliveryException permanent && ReasonCodes.UNAUTHORIZED.equals(permanent.reasonCode())) {
            credentialProblem = failure.getMessage();
        }
    }

    /** Tries the registration again in the background, at most once a minute, while it is failing. */
    private void retryRegistrationIfDue() {
        if (webhookProblem == null) {
            return;
        }
        synchronized (this) {
            if (!context.clock().instant().isAfter(lastRegistration.plus(REGISTRATION_RETRY))) {
                return;
            }
            lastRegistration = context.clock().instant();
        }
        registerWebhookAsync();
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
            inFlight.close();
            api.close();
        }
    }
}
