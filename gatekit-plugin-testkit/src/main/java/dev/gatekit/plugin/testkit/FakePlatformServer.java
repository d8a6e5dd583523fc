package dev.gatekit.plugin.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A scriptable HTTP server standing in for a platform's API, on {@code 127.0.0.1} and a random
 * port. Point the plugin at {@link #baseUri()} (the testkit's {@link TestPlatformContext} does it
 * through {@code PlatformContext.apiBaseUrl()}), script the replies, and assert on what it
 * received.
 *
 * <p>Replies are chosen in this order: the oldest one-shot reply enqueued with
 * {@link #enqueue(FakeResponse)} or {@link #enqueue(String, FakeResponse)} whose path pattern
 * matches; then the first standing reply from {@link #stub(String, FakeResponse)} whose pattern
 * matches; then the default reply ({@code 200 {}} unless set with
 * {@link #setDefaultResponse(FakeResponse)}). Path patterns are regular expressions matched against
 * the whole path, such as {@code /bot[^/]+/sendMessage}.
 *
 * <p>Every request is recorded, in arrival order, whatever it was answered with. The server also
 * counts the requests it holds open (received, not yet answered), so a test can check how many a
 * client had in flight at once ({@link #maxConcurrentRequests()}); {@link #setReplyDelay(Duration)}
 * and {@link #holdReplies()} keep requests open on purpose.
 */
public final class FakePlatformServer implements AutoCloseable {

    private record Rule(Pattern path, FakeResponse response) {
        boolean matches(String requestPath) {
            return path == null || path.matcher(requestPath).matches();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;
    private final List<Rule> oneShots = new ArrayList<>();
    private final List<Rule> stubs = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> recorded = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<RecordedRequest> unread = new LinkedBlockingQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private volatile FakeResponse defaultResponse = FakeResponse.ok();
    private volatile Duration replyDelay = Duration.ZERO;
    private volatile CountDownLatch held = new CountDownLatch(0);

    private FakePlatformServer() {
        clock = Clock.systemUTC();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the fake platform server", e);
        }
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-platform-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts a server on {@code 127.0.0.1} and a free port.
     *
     * @return the running server; close it when done
     */
    public static FakePlatformServer start() {
        return new FakePlatformServer();
    }

    /**
     * The server's base URI, such as {@code http://127.0.0.1:41234/}.
     *
     * @return the base URI, with a trailing slash
     */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /**
     * The port the server listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Scripts the reply to the next request, whatever its path.
     *
     * @param response the reply
     * @return this server
     */
    public FakePlatformServer enqueue(FakeResponse response) {
        synchronized (oneShots) {
            oneShots.add(new Rule(null, Objects.requireNonNull(response)));
        }
        return this;
    }

    /**
     * Scripts the reply to the next request whose path matches a pattern.
     *
     * @param pathPattern a regular expression matched against the whole path
     * @param response    the reply
     * @return this server
     */
    public FakePlatformServer enqueue(String pathPattern, FakeResponse response) {
        synchronized (oneShots) {
            oneShots.add(new Rule(Pattern.compile(pathPattern), Objects.requireNonNull(response)));
        }
        return this;
    }

    /**
     * Scripts the reply to every request whose path matches a pattern, until {@link #reset()}.
     *
     * @param pathPattern a regular expression matched against the whole path
     * @param response    the reply
     * @return this server
     */
    public FakePlatformServer stub(String pathPattern, FakeResponse response) {
        stubs.add(new Rule(Pattern.compile(pathPattern), Objects.requireNonNull(response)));
        return this;
    }

    /**
     * Sets the reply to requests no one-shot reply or stub matches.
     *
     * @param response the reply
     * @return this server
     */
    public FakePlatformServer setDefaultResponse(FakeResponse response) {
        defaultResponse = Objects.requireNonNull(response);
        return this;
    }

    /**
     * Delays every reply from now on, on top of the reply's own {@link FakeResponse#delay()}: a
     * slow platform, to keep a client's requests open at the same time.
     *
     * @param delay how long each request waits for its answer; zero for none
     * @return this server
     */
    public FakePlatformServer setReplyDelay(Duration delay) {
        replyDelay = Objects.requireNonNull(delay);
        return this;
    }

    /**
     * Holds every reply, to requests open now and arriving later, until {@link #releaseReplies()}.
     * Requests are still recorded as they arrive, so a test can see a request go out while the
     * client waits for its answer.
     *
     * @return this server
     */
    public FakePlatformServer holdReplies() {
        synchronized (this) {
            if (held.getCount() == 0) {
                held = new CountDownLatch(1);
            }
        }
        return this;
    }

    /**
     * Answers the requests held by {@link #holdReplies()}, and answers later ones at once again.
     *
     * @return this server
     */
    public FakePlatformServer releaseReplies() {
        held.countDown();
        return this;
    }

    /**
     * How many requests the server holds open right now: received, not yet answered.
     *
     * @return the count
     */
    public int openRequests() {
        return open.get();
    }

    /**
     * The most requests the server held open at the same moment since it started (or since
     * {@link #reset()}): a client's requests in flight at once, as the platform saw them.
     *
     * @return the highest count
     */
    public int maxConcurrentRequests() {
        return maxOpen.get();
    }

    /**
     * Starts counting {@link #maxConcurrentRequests()} afresh from the requests open now.
     *
     * @return this server
     */
    public FakePlatformServer resetMaxConcurrentRequests() {
        maxOpen.set(open.get());
        return this;
    }

    /**
     * Forgets every scripted reply, recorded request and the concurrency count, restores the
     * default reply, removes the reply delay and releases held replies.
     */
    public void reset() {
        synchronized (oneShots) {
            oneShots.clear();
        }
        stubs.clear();
        recorded.clear();
        unread.clear();
        defaultResponse = FakeResponse.ok();
        replyDelay = Duration.ZERO;
        releaseReplies();
        resetMaxConcurrentRequests();
    }

    /**
     * Takes the oldest request not yet taken, waiting for one to arrive.
     *
     * @param timeout how long to wait
     * @return the request
     * @throws AssertionError when no request arrives in time
     */
    public RecordedRequest takeRequest(Duration timeout) {
        try {
            RecordedRequest request = unread.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (request == null) {
                throw new AssertionError("the fake platform server received no request within " + timeout);
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a request", e);
        }
    }

    /**
     * Every request received so far, in arrival order (taken or not).
     *
     * @return a snapshot
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    /**
     * Stops the server at once; requests waiting on a delayed reply are cut off.
     */
    @Override
    public void close() {
        closing.countDown();
        held.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            AtomicBoolean answering = new AtomicBoolean();
            try {
                answer(exchange, body, () -> {
                    // Counted as answered before the first byte goes out, so a client that sends its
                    // next request as soon as it reads this answer never overlaps it here.
                    if (answering.compareAndSet(false, true)) {
                        open.decrementAndGet();
                    }
                });
            } finally {
                if (answering.compareAndSet(false, true)) {
                    open.decrementAndGet();
                }
            }
        } catch (IOException e) {
            // The client hung up (often on purpose, in timeout tests); nothing to answer.
        }
    }

    private void answer(HttpExchange exchange, byte[] body, Runnable answering) throws IOException {
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), body, clock.instant());
        recorded.add(request);
        unread.add(request);

        FakeResponse response = choose(request.path());
        if (!waitBeforeAnswering(response.delay().plus(replyDelay))) {
            return;
        }
        answering.run();
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] responseBody = response.body();
        boolean noBody = responseBody.length == 0 || response.status() == 204 || response.status() == 304
                || "HEAD".equals(request.method());
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : responseBody.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(responseBody);
            }
        }
    }

    /** Waits out a delay and any hold; false when the server closed meanwhile and must not answer. */
    private boolean waitBeforeAnswering(Duration delay) {
        try {
            if (!delay.isZero() && closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            CountDownLatch hold = held;
            if (hold.getCount() > 0) {
                hold.await(); // close() releases it too
                return closing.getCount() > 0;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private FakeResponse choose(String path) {
        synchronized (oneShots) {
            for (Iterator<Rule> it = oneShots.iterator(); it.hasNext(); ) {
                Rule rule = it.next();
                if (rule.matches(path)) {
                    it.remove();
                    return rule.response();
                }
            }
        }
        for (Rule rule : stubs) {
            if (rule.matches(path)) {
                return rule.response();
            }
        }
        return defaultResponse;
    }
}
