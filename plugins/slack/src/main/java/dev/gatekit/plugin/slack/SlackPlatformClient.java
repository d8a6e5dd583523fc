package dev.gatekit.plugin.slack;

import com.google.gson.JsonObject;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsOpenResponse;
import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.HealthStatus;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * One Slack app installation for one platform configuration: posts with {@code chat.postMessage}
 * and reads the Events API and interactivity requests Slack signs and posts to the webhook URL.
 * Thread-safe: slack-api-client is, and each send's plan is its own. Sends are asynchronous
 * ({@link #sendAsync}), at most {@link SlackSettings#maxConcurrentRequests()} at once.
 */
public final class SlackPlatformClient implements PlatformClient {

    /** A user id ({@code U...}, or {@code W...} on Enterprise Grid) rather than a conversation id. */
    private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");

    private final SlackSettings settings;
    private final PlatformContext context;
    private final SlackApi api;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ThreadPoolExecutor senders;
    private volatile String credentialProblem;

    SlackPlatformClient(SlackSettings settings, PlatformContext context) {
        this.settings = settings;
        this.context = context;
        this.api = new SlackApi(settings, context.addressPolicy());
        this.senders = senders(settings.configurationId(), settings.maxConcurrentRequests());
    }

    /** Asks {@code auth.test} whether Slack accepts the token; used to validate a configuration. */
    void authTest() throws DeliveryException {
        api.call("auth.test", methods -> methods.authTest(request -> request));
    }

    /**
     * Sends without blocking the caller: slack-api-client's calls block, so each send runs, as one
     * task, on this client's own pool of at most {@link SlackSettings#maxConcurrentRequests()}
     * threads (idle threads end after a minute); the others wait in its queue without a thread, in
     * order, and a waiting send whose stage the caller has completed (cancelled) is never made.
     * {@code send} is the API's default: this, joined.
     *
     * <p>slack-api-client's own {@code AsyncMethodsClient} is not used: it resolves the team id with a
     * blocking {@code auth.test} on the calling thread, retries 429s itself (hiding Slack's
     * {@code Retry-After} from the host, which enforces the limits) and keeps process-wide executors
     * and queues that outlive a client.
     */
    @Override
    public CompletionStage<DeliveryReceipt> sendAsync(OutboundMessage message) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(closedFailure());
        }
        List<SlackMessages.Post> posts;
        try {
            posts = SlackMessages.plan(message.content());
        } catch (PermanentDeliveryException e) {
            return CompletableFuture.failedFuture(e);
        }
        QueuedSend send = new QueuedSend(message, posts);
        try {
            senders.execute(send);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(closedFailure());
        }
        return send.outcome;
    }

    /** One send waiting for, or running on, a thread of {@link #senders}. */
    private final class QueuedSend implements Runnable {
        private final OutboundMessage message;
        private final List<SlackMessages.Post> posts;
        private final CompletableFuture<DeliveryReceipt> outcome = new CompletableFuture<>();

        QueuedSend(OutboundMessage message, List<SlackMessages.Post> posts) {
            this.message = message;
            this.posts = posts;
        }

        @Override
        public void run() {
            if (outcome.isDone()) {
                return; // the caller gave up while it waited: never post it
            }
            try {
                outcome.complete(deliver(message, posts));
            } catch (DeliveryException | RuntimeException | Error e) {
                outcome.completeExceptionally(e);
            }
        }
    }

    /**
     * The blocking calls of one send: open the DM if the target is a user, then post each part in order.
     * A retry skips the parts an earlier attempt delivered; a retryable failure says which were delivered.
     */
    private DeliveryReceipt deliver(OutboundMessage message, List<SlackMessages.Post> posts) throws DeliveryException {
        int skipped = Math.min(message.deliveredParts().size(), posts.size());
        List<String> timestamps = new ArrayList<>(message.deliveredParts().subList(0, skipped));
        try {
            String channel = channelFor(message);
            String threadTs = message.options().threadId() != null ? message.options().threadId() : message.options().replyTo();
            for (SlackMessages.Post post : posts.subList(skipped, posts.size())) {
                ChatPostMessageRequest.ChatPostMessageRequestBuilder request = ChatPostMessageRequest.builder()
                        .channel(channel)
                        .text(post.text())
                        .mrkdwn(post.mrkdwn())
                        .threadTs(threadTs);
                if (post.blocks() != null) {
                    request.blocksAsString(post.blocks());
                }
                ChatPostMessageResponse response = api.call("chat.postMessage", methods -> methods.chatPostMessage(request.build()));
                if (response.getChannel() != null) {
                    channel = response.getChannel();
                }
                timestamps.add(response.getTs());
            }
            credentialProblem = null;
            Map<String, String> details = new LinkedHashMap<>();
            details.put("channel", channel);
            if (timestamps.size() > 1) {
                details.put("messageCount", Integer.toString(timestamps.size()));
            }
            return new DeliveryReceipt(timestamps, details);
        } catch (RetryableDeliveryException e) {
            throw timestamps.isEmpty() ? e : e.withDeliveredParts(timestamps);
        } catch (PermanentDeliveryException e) {
            if (ReasonCodes.UNAUTHORIZED.equals(e.reasonCode())) {
                credentialProblem = e.getMessage();
            }
            throw e;
        }
    }

    private static RetryableDeliveryException closedFailure() {
        return new RetryableDeliveryException("the Slack client is closed");
    }

    /** Daemon threads named after the configuration, at most {@code size}, none kept while idle. */
    private static ThreadPoolExecutor senders(String configurationId, int size) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "gatekit-slack-" + configurationId + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A user gets the app's direct message, opened with {@code conversations.open}; anything else is a conversation id. */
    private String channelFor(OutboundMessage message) throws DeliveryException {
        String id = message.target().id().trim();
        if (message.target().type() != TargetType.USER || !USER_ID.matcher(id).matches()) {
            return id;
        }
        ConversationsOpenResponse opened = api.call("conversations.open",
                methods -> methods.conversationsOpen(request -> request.users(List.of(id))));
        if (opened.getChannel() == null || opened.getChannel().getId() == null) {
            throw new RetryableDeliveryException("Slack conversations.open answered without a channel");
        }
        return opened.getChannel().getId();
    }

    @Override
    public WebhookResult handleWebhook(WebhookRequest request) {
        Optional<String> problem = SlackSignature.problem(settings.signingSecret(), request, context.clock().instant());
        if (problem.isPresent()) {
            return WebhookResult.rejected(401, "not authentic: " + problem.get());
        }
        if (!"POST".equalsIgnoreCase(request.method())) {
            return WebhookResult.rejected(405, "Slack posts events");
        }
        SlackEvents.Parsed parsed;
        try {
            parsed = SlackEvents.parse(request.header("Content-Type").orElse(null), request.body(), request.receivedAt());
        } catch (SlackEvents.MalformedEventException e) {
            context.logger().warn("ignoring an unreadable Slack request for configuration {}: {}",
                    settings.configurationId(), e.getMessage());
            return WebhookResult.rejected(400, "unreadable request: " + e.getMessage());
        }
        if (parsed.challenge() != null) {
            JsonObject answer = new JsonObject();
            answer.addProperty("challenge", parsed.challenge());
            return WebhookResult.reply(200, "application/json", answer.toString().getBytes(StandardCharsets.UTF_8), List.of());
        }
        return WebhookResult.accepted(parsed.events());
    }

    @Override
    public HealthStatus health() {
        if (closed.get()) {
            return HealthStatus.down("closed");
        }
        String credentials = credentialProblem;
        return credentials == null ? HealthStatus.up() : HealthStatus.down(credentials);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (Runnable waiting : senders.shutdownNow()) {
                ((QueuedSend) waiting).outcome.completeExceptionally(closedFailure());
            }
            api.close();
        }
    }
}
