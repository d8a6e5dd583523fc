package dev.gatekit.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator. Request i is due at {@code t0 + i / rate}, whatever happened to the
 * requests before it; a pool of keep-alive connections, each driven by its own thread, takes the
 * requests in order, waits for each one's due time and sends it. When every connection is busy a
 * due request waits for one, and that wait is part of its latency, which is measured from its due
 * time to the end of its response: the driver never slows down to suit the server (no coordinated
 * omission). A rate of 0 makes every request due at t0, which measures saturation throughput.
 */
final class OpenLoop {

    /** Status recorded for a request that failed with an I/O error (reset, timeout, refused). */
    static final int IO_ERROR = -1;
    /** Status recorded for a request that was never sent because the run's deadline passed. */
    static final int NOT_SENT = -2;

    /** Turns a response into the number of messages it accepted (1 for a 202 send, N for a batch). */
    @FunctionalInterface
    interface Outcome {
        int accepted(int status, HttpStream response);
    }

    /** Everything measured about one run, one slot per request. */
    static final class Run {
        final long requests;
        final int messagesPerRequest;
        final double rate;
        final int connections;
        final long t0;
        final long[] start;
        final long[] end;
        final int[] status;
        final long acceptedMessages;
        final String firstError;

        Run(long requests, int messagesPerRequest, double rate, int connections, long t0, long[] start, long[] end,
            int[] status, long acceptedMessages, String firstError) {
            this.requests = requests;
            this.messagesPerRequest = messagesPerRequest;
            this.rate = rate;
            this.connections = connections;
            this.t0 = t0;
            this.start = start;
            this.end = end;
            this.status = status;
            this.acceptedMessages = acceptedMessages;
            this.firstError = firstError;
        }

        long due(long i) {
            return OpenLoop.due(t0, rate, i);
        }

        /** When the last response ended (t0 if none did). */
        long lastEnd() {
            long last = t0;
            for (long e : end) {
                last = Math.max(last, e);
            }
            return last;
        }

        Map<String, Long> statusCounts() {
            Map<String, Long> counts = new TreeMap<>();
            for (int s : status) {
                String key = s == IO_ERROR ? "io_error" : s == NOT_SENT ? "not_sent" : Integer.toString(s);
                counts.merge(key, 1L, Long::sum);
            }
            return counts;
        }

        /** Latencies in nanoseconds of the requests that got a response: from due time, from send, and the send's lag. */
        long[][] latencies() {
            int n = 0;
            for (int i = 0; i < status.length; i++) {
                if (status[i] > 0) {
                    n++;
                }
            }
            long[] fromDue = new long[n];
            long[] service = new long[n];
            long[] lag = new long[n];
            int k = 0;
            for (int i = 0; i < status.length; i++) {
                if (status[i] > 0) {
                    long due = due(i);
                    fromDue[k] = end[i] - due;
                    service[k] = end[i] - start[i];
                    lag[k] = start[i] - due;
                    k++;
                }
            }
            return new long[][] {fromDue, service, lag};
        }
    }

    private OpenLoop() {
    }

    static long due(long t0, double rate, long i) {
        return rate <= 0 ? t0 : t0 + (long) (i * (1e9 / rate));
    }

    /**
     * Sends {@code requests} requests to host:port at {@code rate} per second (0: all at once) over
     * {@code connections} connections. Requests not sent by the end of the schedule plus
     * {@code graceMillis} are recorded as {@link #NOT_SENT}.
     */
    static Run run(String host, int port, int connections, long requests, double rate, RequestTemplate template,
                   Outcome outcome, long graceMillis) throws InterruptedException {
        if (requests > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many requests for one run: " + requests);
        }
        int n = (int) requests;
        long[] start = new long[n];
        long[] end = new long[n];
        int[] status = new int[n];
        AtomicLong next = new AtomicLong();
        LongAdder accepted = new LongAdder();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch connected = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        long[] t0Holder = new long[1];
        long scheduleNanos = rate <= 0 ? 0 : (long) (requests * (1e9 / rate));
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> {
                RequestTemplate mine = template.copy();
                HttpStream connection = null;
                try {
                    connection = HttpStream.connect(host, port, 60_000);
                } catch (IOException e) {
                    firstError.compareAndSet(null, "connect: " + e);
                }
                connected.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long t0 = t0Holder[0];
                long deadline = t0 + scheduleNanos + graceMillis * 1_000_000L;
                for (long i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    long due = due(t0, rate, i);
                    long now;
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(due - now);
                    }
                    int slot = (int) i;
                    if (now > deadline) {
                        status[slot] = NOT_SENT;
                        continue;
                    }
                    byte[] request = mine.fill(i);
                    start[slot] = System.nanoTime();
                    int result;
                    try {
                        if (connection == null) {
                            connection = HttpStream.connect(host, port, 60_000);
                        }
                        connection.write(request);
                        result = connection.readResponse();
                        accepted.add(outcome.accepted(result, connection));
                        if (connection.closeRequested()) {
                            connection.close();
                            connection = null;
                        }
                    } catch (IOException | RuntimeException e) {
                        firstError.compareAndSet(null, e.toString());
                        result = IO_ERROR;
                        if (connection != null) {
                            connection.close();
                            connection = null;
                        }
                    }
                    end[slot] = System.nanoTime();
                    status[slot] = result;
                }
                if (connection != null) {
                    connection.close();
                }
            }, "load-" + c);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        connected.await();
        t0Holder[0] = System.nanoTime() + 5_000_000L;
        go.countDown(); // the latch publishes t0Holder to the threads
        for (Thread thread : threads) {
            thread.join();
        }
        return new Run(requests, template.messagesPerRequest(), rate, connections, t0Holder[0], start, end, status,
                accepted.sum(), firstError.get());
    }
}
