package dev.gatekit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The endpoint the webhook plugin delivers to: HTTP/1.1 keep-alive, TCP_NODELAY, one thread per
 * connection (so a slow answer holds up only its own connection), and per request a scan of the
 * body for the message text at {@code /content/text} and one store of the arrival time.
 *
 * <p>Paths: {@code /hook/…} answers at once; {@code /slow/…} answers after the configured delay,
 * or at once after {@link #releaseSlow()}. Every path answers {@code 200 {}}.
 */
final class Receiver implements Closeable {

    private static final byte[] OK = HttpStream.ascii(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    private static final byte[] SLOW = HttpStream.ascii("/slow");
    private static final byte[] CONTENT_KEY = HttpStream.ascii("\"content\"");
    private static final byte[] TEXT_KEY = HttpStream.ascii("\"text\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the messages of one scenario (one tag) arrive: the first arrival time of each index. */
    static final class Arrivals {
        final AtomicLongArray at;
        final AtomicInteger count = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        /** The count a waiter in {@link #await} waits for; recording it wakes the waiter (no polling). */
        private volatile int awaited = Integer.MAX_VALUE;

        Arrivals(int expected) {
            this.at = new AtomicLongArray(expected);
        }

        void record(long index, long now) {
            if (index < 0 || index >= at.length()) {
                duplicates.incrementAndGet(); // out of range: counted with the unexpected ones
                return;
            }
            if (at.compareAndSet((int) index, 0, now)) {
                if (count.incrementAndGet() >= awaited) {
                    synchronized (this) {
                        notifyAll();
                    }
                }
            } else {
                duplicates.incrementAndGet();
            }
        }

        /** Waits until {@code expected} messages arrived or the timeout passed; returns whether they all did. */
        synchronized boolean await(int expected, long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            awaited = expected;
            try {
                long remaining;
                while (count.get() < expected) {
                    remaining = (deadline - System.nanoTime()) / 1_000_000L;
                    if (remaining <= 0) {
                        return false;
                    }
                    wait(Math.min(remaining, 1000));
                }
                return true;
            } finally {
                awaited = Integer.MAX_VALUE;
            }
        }

        /** Arrival times of the messages that arrived, in index order (0 = not arrived). */
        long[] times() {
            long[] times = new long[at.length()];
            for (int i = 0; i < times.length; i++) {
                times[i] = at.get(i);
            }
            return times;
        }
    }

    private final ServerSocket server;
    private final Arrivals[] byTag = new Arrivals[26 * 26];
    private final long slowNanos;
    private final Object slowLock = new Object();
    private volatile boolean slowReleased;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger slowInFlight = new AtomicInteger();
    /** Requests whose text is not a message of this run (or that have none). */
    final AtomicInteger foreign = new AtomicInteger();

    Receiver(long slowMillis) throws IOException {
        this.slowNanos = slowMillis * 1_000_000L;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        Thread acceptor = new Thread(this::accept, "receiver-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Starts recording the messages of one tag (two lower-case letters), numbered 0 … expected − 1. */
    Arrivals track(String tag, int expected) {
        Arrivals arrivals = new Arrivals(expected);
        byTag[slot(tag.charAt(0), tag.charAt(1))] = arrivals;
        return arrivals;
    }

    /** Makes every waiting and future {@code /slow} request answer at once. */
    void releaseSlow() {
        synchronized (slowLock) {
            slowReleased = true;
            slowLock.notifyAll();
        }
    }

    /** Makes {@code /slow} requests slow again. */
    void armSlow() {
        slowReleased = false;
    }

    @Override
    public void close() throws IOException {
        releaseSlow();
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread handler = new Thread(() -> serve(socket), "receiver-" + connections.get());
                handler.setDaemon(true);
                handler.start();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("receiver: accept failed: " + e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (HttpStream stream = new HttpStream(socket)) {
            OutputStream out = socket.getOutputStream();
            while (stream.readRequestHead()) {
                boolean slow = stream.targetStartsWith(SLOW);
                stream.readRequestBody();
                long now = System.nanoTime();
                requests.incrementAndGet();
                record(stream.body(), stream.bodyLength(), now);
                if (slow) {
                    waitSlow();
                }
                out.write(OK);
                if (stream.closeRequested()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the sender closed or reset its connection; nothing to answer
        }
    }

    private void waitSlow() {
        slowInFlight.incrementAndGet();
        try {
            long deadline = System.nanoTime() + slowNanos;
            synchronized (slowLock) {
                long remaining;
                while (!slowReleased && (remaining = deadline - System.nanoTime()) > 0) {
                    slowLock.wait(Math.max(1, remaining / 1_000_000L));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            slowInFlight.decrementAndGet();
        }
    }

    private void record(byte[] body, int length, long now) {
        int text = textValue(body, length);
        if (text < 0 || !recordText(body, text, length, now)) {
            // Not where the fast scan expected it: read the JSON properly before calling it foreign.
            try {
                String value = JSON.readTree(body, 0, length).at("/content/text").asText("");
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                if (!recordText(bytes, 0, bytes.length, now)) {
                    foreign.incrementAndGet();
                }
            } catch (IOException e) {
                foreign.incrementAndGet();
            }
        }
    }

    /** Records a text {@code gkb-<tag>-<digits>} starting at {@code from}; false if it is not one. */
    private boolean recordText(byte[] b, int from, int limit, long now) {
        int digits = from + 7; // after "gkb-xx-"
        if (digits + RequestTemplate.INDEX_DIGITS > limit || b[from] != 'g' || b[from + 1] != 'k' || b[from + 2] != 'b'
                || b[from + 3] != '-' || b[from + 6] != '-') {
            return false;
        }
        char c1 = (char) b[from + 4];
        char c2 = (char) b[from + 5];
        if (c1 < 'a' || c1 > 'z' || c2 < 'a' || c2 > 'z') {
            return false;
        }
        long index = 0;
        for (int i = digits; i < digits + RequestTemplate.INDEX_DIGITS; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
            index = index * 10 + (b[i] - '0');
        }
        Arrivals arrivals = byTag[slot(c1, c2)];
        if (arrivals == null) {
            return false;
        }
        arrivals.record(index, now);
        return true;
    }

    /** Where the string value of content.text starts, for a compact or lightly spaced JSON body; -1 if not found. */
    private static int textValue(byte[] b, int length) {
        int content = indexOf(b, length, CONTENT_KEY, 0);
        if (content < 0) {
            return -1;
        }
        int key = indexOf(b, length, TEXT_KEY, content + CONTENT_KEY.length);
        if (key < 0) {
            return -1;
        }
        int i = key + TEXT_KEY.length;
        while (i < length && (b[i] == ' ' || b[i] == ':' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i < length && b[i] == '"' ? i + 1 : -1;
    }

    private static int indexOf(byte[] b, int length, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int slot(char c1, char c2) {
        return (c1 - 'a') * 26 + (c2 - 'a');
    }
}
