package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.InboundEvent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformContext;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.TargetType;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.requests.CloseCode;
import net.dv8tion.jda.api.requests.RestAction;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;
import net.dv8tion.jda.api.utils.data.DataObject;

/**
 * One bot for one platform configuration: sends through its JDA session without holding a thread
 * per message ({@link #sendAsync} chains JDA's futures), and answers Discord's interactions endpoint
 * at the configuration's webhook URL. Thread-safe.
 */
public final class DiscordPlatformClient implements PlatformClient {

    /** How long a send to a channel waits for the gateway to be ready (channels are known from it). */
    static final Duration READY_WAIT = Duration.ofSeconds(15);
    /** How long after a failed login the next send tries again. */
    static final Duration RELOGIN_AFTER = Duration.ofSeconds(5);
    /** Discord's longest nonce. */
    static final int NONCE_LENGTH = 25;

    private static final Pattern SNOWFLAKE = Pattern.compile("[0-9]{1,20}");

    private final DiscordSettings settings;
    private final PlatformContext context;
    private final DiscordGatewayEvents gatewayEvents;
    private final AttachmentFetcher attachments;
    private final InteractionSignature signature;
    private final Object sessionLock = new Object();
    private volatile DiscordSession session;
    private volatile Instant sessionStarted;
    private volatile boolean closed;

    DiscordPlatformClient(DiscordSettings settings, PlatformContext context) {
        this.settings = settings;
        this.context = context;
        this.gatewayEvents = new DiscordGatewayEvents(settings, context.inboundSink(), context.logger());
        this.attachments = new AttachmentFetcher(context.httpClient(), settings.privateAttachmentUrls());
        this.signature = settings.publicKey() == null ? null : InteractionSignature.forKey(settings.publicKey());
        this.session = DiscordSession.start(settings, context, gatewayEvents);
        this.sessionStarted = context.clock().instant();
    }

    /** The session, started again when the last login failed for a reason that may have passed. */
    private DiscordSession session() {
        DiscordSession current = session;
        if (current.failedRetryably() && context.clock().instant().isAfter(sessionStarted.plus(RELOGIN_AFTER))) {
            synchronized (sessionLock) {
                if (session == current && !closed) {
                    current.close();
                    session = DiscordSession.start(settings, context, gatewayEvents);
                    sessionStarted = context.clock().instant();
                }
                return session;
            }
        }
        return current;
    }

    /** The call a send is making, so that a rate limit that gave it up is reported with its own {@code retry_after}. */
    private static final class Progress {
        volatile String route;
    }

    @Override
    public CompletionStage<DeliveryReceipt> sendAsync(OutboundMessage message) {
        if (closed) {
            return CompletableFuture.failedFuture(new RetryableDeliveryException("the Discord client is closed"));
        }
        DiscordSession current = session();
        CloseCode fatal = current.fatalCloseCode();
        if (fatal != null) {
            return CompletableFuture.failedFuture(new PermanentDeliveryException(
                    fatal == CloseCode.AUTHENTICATION_FAILED ? ReasonCodes.UNAUTHORIZED : ReasonCodes.INVALID_CONFIGURATION,
                    "Discord closed the gateway: " + fatal.getCode() + " " + fatal.getMeaning()));
        }
        Progress progress = new Progress();
        CompletableFuture<DeliveryReceipt> sent;
        try {
            List<DiscordMessages.Planned> plan = new ArrayList<>();
            CompletableFuture<MessageChannel> channel = channel(current, message, progress);
            sent = attachments.uploads(message.content().attachments())
                    .thenCompose(files -> {
                        try {
                            plan.addAll(DiscordMessages.plan(message, files));
                        } catch (PermanentDeliveryException e) {
                            throw new CompletionException(e);
                        }
                        return channel;
                    })
                    .thenCompose(target -> post(current, target, plan, message, progress));
        } catch (PermanentDeliveryException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                DiscordFailures.toDelivery(failure, rateLimitedFor(current, progress, failure))));
    }

    private CompletableFuture<MessageChannel> channel(DiscordSession current, OutboundMessage message, Progress progress)
            throws PermanentDeliveryException {
        boolean user = message.target().type() == TargetType.USER;
        String id = !user && message.options().threadId() != null ? message.options().threadId().trim() : message.target().id().trim();
        if (!SNOWFLAKE.matcher(id).matches()) {
            throw new PermanentDeliveryException(ReasonCodes.INVALID_TARGET, "not a Discord id: " + id);
        }
        if (user) {
            // The DM channel comes from REST, so a DM needs no gateway.
            return current.loggedIn().thenCompose(jda -> call(current, progress, "POST", "users/@me/channels", jda.openPrivateChannelById(id))
                    .thenApply(MessageChannel.class::cast));
        }
        return current.loggedIn().thenCompose(jda -> {
            MessageChannel cached = jda.getChannelById(MessageChannel.class, id);
            if (cached != null) {
                return CompletableFuture.completedFuture(cached);
            }
            // Until the gateway has delivered the guilds, a channel is unknown to JDA rather than to Discord.
            return current.ready().copy().orTimeout(READY_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .handle((ready, failure) -> {
                        if (failure != null) {
                            throw new CompletionException(new RetryableDeliveryException("the Discord gateway is not ready: "
                                    + (DiscordFailures.unwrap(failure) instanceof TimeoutException
                                            ? "no READY within " + READY_WAIT.toSeconds() + " s" : DiscordFailures.describe(failure)), failure));
                        }
                        MessageChannel channel = ready.getChannelById(MessageChannel.class, id);
                        if (channel == null) {
                            throw new CompletionException(new PermanentDeliveryException(DiscordFailures.UNKNOWN_CHANNEL,
                                    "channel or thread " + id + " is not among those the bot can see (is the bot in its guild, is a thread archived?)"));
                        }
                        return channel;
                    });
        });
    }

    private CompletableFuture<DeliveryReceipt> post(DiscordSession current, MessageChannel channel,
                                                    List<DiscordMessages.Planned> plan, OutboundMessage message, Progress progress) {
        String route = "channels/" + channel.getId() + "/messages";
        boolean mentionReplied = DiscordMessages.allowedMentions(message).contains(Message.MentionType.USER);
        CompletableFuture<List<String>> ids = CompletableFuture.completedFuture(new ArrayList<>());
        for (int i = 0; i < plan.size(); i++) {
            DiscordMessages.Planned part = plan.get(i);
            String nonce = nonce(message.messageId(), i);
            ids = ids.thenCompose(done -> {
                MessageCreateAction action = channel.sendMessage(part.data()).setNonce(nonce);
                if (part.first() && message.options().replyTo() != null) {
                    action = action.setMessageReference(message.options().replyTo().trim()).mentionRepliedUser(mentionReplied);
                }
                return call(current, progress, "POST", route, action).thenApply(sent -> {
                    done.add(sent.getId());
                    return done;
                });
            });
        }
        return ids.thenApply(done -> {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("channelId", channel.getId());
            if (done.size() > 1) {
                details.put("messageCount", Integer.toString(done.size()));
            }
            return new DeliveryReceipt(done, details);
        });
    }

    /**
     * Submits one REST call to JDA's queue. A route Discord rate limited for longer than JDA should wait
     * fails at once, with what is left of the wait.
     */
    private <T> CompletableFuture<T> call(DiscordSession current, Progress progress, String method, String route, RestAction<T> action) {
        String key = RateLimitGuard.key(method, route);
        progress.route = key;
        RateLimitGuard guard = current.rateLimits();
        Optional<RateLimitGuard.Block> block = guard == null ? Optional.empty() : guard.blocked(key);
        if (block.isPresent()) {
            Duration left = Duration.between(context.clock().instant(), block.get().until());
            return CompletableFuture.failedFuture(new RetryableDeliveryException("Discord rate limited " + key, left, null));
        }
        return action.submit();
    }

    private static Duration rateLimitedFor(DiscordSession current, Progress progress, Throwable failure) {
        RateLimitGuard guard = current.rateLimits();
        if (guard == null || progress.route == null || !(DiscordFailures.unwrap(failure) instanceof java.util.concurrent.CancellationException)) {
            return null;
        }
        return guard.blocked(progress.route).map(RateLimitGuard.Block::retryAfter).orElse(null);
    }

    /**
     * Discord drops a second message with the same nonce from the same bot within minutes
     * ({@code enforce_nonce}), so a retried send does not post twice: the message id and part, hashed to 25
     * characters.
     */
    static String nonce(String messageId, int part) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((messageId + ":" + part).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, NONCE_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public WebhookResult handleWebhook(WebhookRequest request) {
        if (signature == null) {
            return WebhookResult.rejected(401, "no application public key is configured, so no request can be verified");
        }
        Optional<String> problem = signature.problem(request, context.clock().instant());
        if (problem.isPresent()) {
            return WebhookResult.rejected(401, "invalid request signature: " + problem.get());
        }
        if (!"POST".equalsIgnoreCase(request.method())) {
            return WebhookResult.rejected(405, "Discord posts interactions");
        }
        DiscordInteractions.Read read;
        try {
            DataObject interaction = DataObject.fromJson(request.body());
            read = DiscordInteractions.read(interaction, request.bodyAsString(), settings.commandReply());
            if (settings.guildId() != null && !interaction.isNull("guild_id") && !settings.guildId().equals(interaction.getString("guild_id"))) {
                read = new DiscordInteractions.Read(read.type(), null, read.response());
            }
        } catch (DiscordInteractions.MalformedInteractionException | RuntimeException e) {
            context.logger().warn("Ignoring an unreadable Discord interaction for configuration {}: {}", settings.configurationId(), e.getMessage());
            return WebhookResult.rejected(400, "unreadable interaction");
        }
        List<InboundEvent> events = read.inbound().map(List::of).orElse(List.of());
        return WebhookResult.reply(200, "application/json", read.response().toJson(), events);
    }

    @Override
    public HealthStatus health() {
        return closed ? HealthStatus.down("closed") : session.health();
    }

    @Override
    public void close() {
        synchronized (sessionLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        session.close();
    }

}
