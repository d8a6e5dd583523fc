package dev.gatekit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends {@code messages} messages to a running GateKit from {@code concurrency} clients, through
 * the webhook platform to a receiver this driver hosts, and reports how fast they were accepted
 * (latency percentiles, per second) and delivered (per second, end to end).
 *
 * <p>Usage: {@code LoadDriver <api base> <admin base> <messages> <concurrency>}; bench/run.sh
 * starts the server and calls this.
 */
public final class LoadDriver {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(16)).build();

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String admin = args[1];
        int messages = Integer.parseInt(args[2]);
        int concurrency = Integer.parseInt(args[3]);

        Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        receiver.setExecutor(Executors.newFixedThreadPool(16));
        receiver.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                JsonNode body = JSON.readTree(in);
                deliveredAt.putIfAbsent(body.at("/content/text").asText(), System.nanoTime());
            }
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("{}".getBytes());
            }
        });
        receiver.start();

        String adminKey = post(admin + "/tasks/mint-admin-key?name=bench", null, "").trim();
        String slug = JSON.readTree(post(api + "/api/v1/projects", adminKey, "{\"name\":\"bench " + System.nanoTime() + "\"}"))
                .get("slug").asText();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        post(api + "/api/v1/projects/" + slug + "/platforms", adminKey, JSON.writeValueAsString(Map.of(
                "platform", "webhook", "name", "bench",
                "credentials", Map.of("signingSecret", "bench-signing-secret-0123456789"),
                "config", Map.of("url", hook),
                "limits", Map.of("messagesPerSecond", 100000, "perTargetPerSecond", 100000))));

        long[] acceptNanos = new long[messages];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            running.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < messages; i = next.getAndIncrement()) {
                    String body = "{\"platform\":\"webhook\",\"target\":{\"type\":\"user\",\"id\":\"u" + (i % 1000)
                            + "\"},\"text\":\"m-" + i + "\"}";
                    long sent = System.nanoTime();
                    int status = status(api + "/api/v1/projects/" + slug + "/messages/send", adminKey, body);
                    acceptNanos[i] = System.nanoTime() - sent;
                    if (status != 202) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        long acceptedIn = System.nanoTime() - start;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (deliveredAt.size() < messages - refused.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long lastDelivery = deliveredAt.values().stream().mapToLong(Long::longValue).max().orElse(start);
        clients.shutdown();
        receiver.stop(0);

        long[] sorted = acceptNanos.clone();
        Arrays.sort(sorted);
        System.out.printf("messages %d, concurrency %d, refused %d%n", messages, concurrency, refused.get());
        System.out.printf("accepted: %.0f msg/s; latency ms p50 %.1f, p95 %.1f, p99 %.1f, max %.1f%n",
                messages / (acceptedIn / 1e9), ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        System.out.printf("delivered: %d of %d, %.0f msg/s end to end (first send to last delivery %.1f s)%n",
                deliveredAt.size(), messages, deliveredAt.size() / ((lastDelivery - start) / 1e9), (lastDelivery - start) / 1e9);
        System.exit(0);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }

    private static String post(String url, String key, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static int status(String url, String key, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("X-API-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
