package dev.gatekit.plugin.testkit;

import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PlatformClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Assertions for {@link PlatformClient#sendAsync}: wait for a stage with a deadline, check that a
 * send does not block its caller, and check that a client keeps the number of requests it has in
 * flight within its bound, as the {@link FakePlatformServer} saw them.
 *
 * <pre>{@code
 * DeliveryReceipt receipt = AsyncSends.await(client.sendAsync(message), Duration.ofSeconds(5));
 *
 * CompletionStage<DeliveryReceipt> stage = AsyncSends.assertDoesNotBlock(client, message, server);
 * assertThat(AsyncSends.await(stage, Duration.ofSeconds(5)).platformMessageIds()).isNotEmpty();
 *
 * // a configuration whose client allows 4 requests at once; 20 sends, each answered after 200 ms
 * AsyncSends.assertConcurrencyBound(client, server, 4, messages(20));
 * }</pre>
 */
public final class AsyncSends {

    /** How long {@link #assertDoesNotBlock} lets a {@code sendAsync} call take before calling it blocked. */
    public static final Duration CALL_LIMIT = Duration.ofSeconds(5);
    /** How long {@link #assertConcurrencyBound} has the fake platform take to answer each request. */
    public static final Duration SLOW_REPLY = Duration.ofMillis(200);

    private AsyncSends() {
    }

    /**
     * Waits for a send's stage and returns its receipt, or throws the typed failure it completed
     * with ({@link DeliveryException#unwrap} takes the {@code CompletionException} off).
     *
     * @param stage   what {@code sendAsync} returned
     * @param timeout how long to wait
     * @return the receipt
     * @throws DeliveryException the failure the stage completed with
     * @throws AssertionError    when the stage does not complete in time
     */
    public static DeliveryReceipt await(CompletionStage<DeliveryReceipt> stage, Duration timeout) throws DeliveryException {
        Objects.requireNonNull(stage, "sendAsync must not return null");
        try {
            return stage.toCompletableFuture().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw DeliveryException.unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the send did not complete within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a send", e);
        }
    }

    /**
     * Checks that {@code sendAsync} returns while the platform has not answered yet: holds the
     * fake server's replies, calls {@code sendAsync} (on a helper thread, so a blocking client
     * fails this check instead of hanging the test), checks that the call returned and the stage is
     * still open, waits until the request has reached the server, then releases the replies.
     *
     * @param client  the client under test, pointed at {@code server}
     * @param message a message the platform will accept
     * @param server  the fake platform, scripted to answer the send
     * @return the stage, now free to complete: {@link #await} it for the receipt
     * @throws AssertionError when the call blocks, the stage completes before the platform
     *                        answered, or no request reaches the server
     */
    public static CompletionStage<DeliveryReceipt> assertDoesNotBlock(
            PlatformClient client, OutboundMessage message, FakePlatformServer server) {
        int before = server.requests().size();
        server.holdReplies();
        try {
            AtomicReference<CompletionStage<DeliveryReceipt>> returned = new AtomicReference<>();
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    returned.set(client.sendAsync(message));
                } catch (Throwable e) {
                    thrown.set(e);
                }
            }, "gatekit-testkit-send-async");
            caller.setDaemon(true);
            caller.start();
            caller.join(CALL_LIMIT.toMillis());
            if (caller.isAlive()) {
                throw new AssertionError("sendAsync did not return within " + CALL_LIMIT
                        + " while the platform withheld its answer: it blocks the calling thread");
            }
            if (thrown.get() != null) {
                throw new AssertionError("sendAsync threw instead of returning a stage", thrown.get());
            }
            CompletionStage<DeliveryReceipt> stage = returned.get();
            if (stage == null) {
                throw new AssertionError("sendAsync returned null; it must return a stage");
            }
            CompletableFuture<DeliveryReceipt> future = stage.toCompletableFuture();
            if (future.isDone()) {
                throw new AssertionError("the stage completed before the platform answered: " + describe(future));
            }
            awaitRequests(server, before + 1, CALL_LIMIT,
                    () -> "sendAsync returned, but no request reached the platform within " + CALL_LIMIT);
            return stage;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            server.releaseReplies();
        }
    }

    /**
     * Sends every message at once through {@code sendAsync}, to a fake platform that withholds its
     * answers until {@code bound} requests have arrived and then answers each request only after
     * {@link #SLOW_REPLY}, waits for all of them to succeed, and checks that the platform never saw
     * more than {@code bound} requests open at once, and did see exactly {@code bound} (so the sends
     * really ran side by side). Script the server to accept the sends
     * first; the reply delay is removed again afterwards.
     *
     * @param client   the client under test, configured for at most {@code bound} requests at once
     * @param server   the fake platform, scripted to accept the sends
     * @param bound    the most requests the client may have in flight at once
     * @param messages more messages than {@code bound}, each sent by one request
     * @return the most requests the platform saw open at once
     * @throws AssertionError when a send fails or does not complete in time, or the bound is
     *                        exceeded or never reached
     */
    public static int assertConcurrencyBound(PlatformClient client, FakePlatformServer server, int bound,
            List<OutboundMessage> messages) {
        if (bound < 1 || messages.size() <= bound) {
            throw new IllegalArgumentException("send more messages (" + messages.size() + ") than the bound (" + bound + ")");
        }
        Duration timeout = SLOW_REPLY.multipliedBy(messages.size() / bound + 1).plusSeconds(20);
        List<CompletableFuture<DeliveryReceipt>> sends = new ArrayList<>();
        int before = server.requests().size();
        server.setReplyDelay(SLOW_REPLY).resetMaxConcurrentRequests();
        try {
            // Held until the first `bound` requests are all open, so reaching the bound never depends on
            // how fast connections open; the reply delay then keeps later requests overlapping.
            server.holdReplies();
            try {
                for (OutboundMessage message : messages) {
                    sends.add(client.sendAsync(message).toCompletableFuture());
                }
                awaitRequests(server, before + bound, CALL_LIMIT, () -> "only " + (server.requests().size() - before)
                        + " requests reached the platform while it withheld its answers, never the bound of " + bound
                        + ": do the sends run one after another?");
            } finally {
                server.releaseReplies();
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int i = 0; i < sends.size(); i++) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                try {
                    await(sends.get(i), left);
                } catch (DeliveryException e) {
                    throw new AssertionError("send " + (i + 1) + " of " + sends.size() + " failed: " + e, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            server.setReplyDelay(Duration.ZERO);
        }
        int seen = server.maxConcurrentRequests();
        if (seen > bound) {
            throw new AssertionError("the platform saw " + seen + " requests open at once; the bound is " + bound);
        }
        if (seen < bound) {
            throw new AssertionError("the platform saw at most " + seen + " requests open at once, never the bound of "
                    + bound + ": do the sends run one after another?");
        }
        return seen;
    }

    private static void awaitRequests(FakePlatformServer server, int count, Duration timeout, Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (server.requests().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private static String describe(CompletableFuture<DeliveryReceipt> done) {
        try {
            return String.valueOf(done.getNow(null));
        } catch (RuntimeException e) {
            return e.getCause() == null ? e.toString() : e.getCause().toString();
        }
    }
}
