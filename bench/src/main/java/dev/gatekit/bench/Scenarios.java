package dev.gatekit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load scenarios against a running GateKit. Each has its own project, whose webhook
 * configuration points at the {@link Receiver}, and its own two-letter tag in every message text,
 * so its deliveries are told apart from any other's. Delivery is paused (admin task) while only
 * accepting is measured, and every scenario leaves nothing queued behind it.
 */
final class Scenarios {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final Http api;
    private final Http admin;
    private final Receiver receiver;
    private final Costs costs;
    private final String adminKey;
    private final Path resultsDir;
    private final String stamp;
    private final int connections;
    private String batchUnavailable;
    private boolean batchProbed;

    Scenarios(Options options, Http api, Http admin, Receiver receiver, Costs costs, String adminKey, Path resultsDir, String stamp) {
        this.options = options;
        this.api = api;
        this.admin = admin;
        this.receiver = receiver;
        this.costs = costs;
        this.adminKey = adminKey;
        this.resultsDir = resultsDir;
        this.stamp = stamp;
        this.connections = options.integer("connections");
    }

    /** Warm-up: sends and delivers {@code messages} messages, measuring nothing. */
    Map<String, Object> warmup(int messages, boolean batchToo) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        if (messages <= 0) {
            return result;
        }
        resume();
        String slug = project("warmup", "/hook/wu");
        Receiver.Arrivals arrivals = receiver.track("wu", messages);
        OpenLoop.Run run = OpenLoop.run(api.host(), api.port(), connections, messages, 0,
                RequestTemplate.send(api.hostPort(), slug, adminKey, "wu"), Scenarios::sendAccepted, grace());
        result.put("send", run.statusCounts());
        if (batchToo && batchAvailable()) {
            int size = options.integer("batch-size");
            String batchSlug = project("warmup batch", "/hook/wb");
            int requests = Math.max(1, messages / size);
            Receiver.Arrivals batchArrivals = receiver.track("wb", requests * size);
            OpenLoop.Run batch = OpenLoop.run(api.host(), api.port(), connections, requests, 0,
                    RequestTemplate.batch(api.hostPort(), batchSlug, adminKey, "wb", size, options.flag("batch-idempotency")),
                    batchOutcome(size, new ConcurrentHashMap<>()), grace());
            result.put("batch", batch.statusCounts());
            batchArrivals.await((int) batch.acceptedMessages, deliveryTimeout());
        }
        result.put("delivered", arrivals.await((int) run.acceptedMessages, deliveryTimeout()));
        result.put("jit_quiet_after_s", jitQuiet());
        costs.busyUntilNow();
        return result;
    }

    /**
     * Waits until the server's JIT compilers have (nearly) stopped: below 2 % of a core for two
     * seconds in a row, or {@code --warmup-max-s}. Returns how long that took, in seconds.
     */
    private double jitQuiet() throws Exception {
        long start = System.nanoTime();
        long deadline = start + options.longValue("warmup-max-s") * 1_000_000_000L;
        long last = costs.serverJitTicks();
        int quietSeconds = 0;
        while (quietSeconds < 2 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long now = costs.serverJitTicks();
            quietSeconds = now - last <= Costs.CLOCK_TICKS / 50 ? quietSeconds + 1 : 0;
            last = now;
        }
        return Costs.round((System.nanoTime() - start) / 1e9, 1);
    }

    /** Idle baseline: what the server, Postgres, Redis and everything else use per second with no load. */
    Map<String, Object> idle(int seconds) throws Exception {
        Costs.Phase phase = costs.start();
        Thread.sleep(seconds * 1000L);
        Map<String, Object> cost = costs.finish(phase, 0);
        costs.useAsBaseline(cost);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("window_s", cost.get("window_s"));
        result.put("cpu_cores_used", cost.get("cpu_cores_used"));
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) cost.get("raw");
        double window = ((Number) cost.get("window_s")).doubleValue();
        Map<String, Object> perSecond = new LinkedHashMap<>();
        for (String key : List.of("redis_commands", "postgres_commits", "wal_syncs", "wal_bytes", "sql_statements", "other_databases_xacts")) {
            Object v = raw.get(key);
            perSecond.put(key, v == null ? null : Costs.round(((Number) v).doubleValue() / window, 2));
        }
        result.put("per_second", perSecond);
        result.put("note", "Redis commands and WAL syncs are counted for the whole Redis and Postgres cluster, postgres_commits for the bench database only");
        return result;
    }

    /** Accept through /send, delivery paused: saturation (rate 0, every request due at once) or a fixed offered rate. */
    Map<String, Object> send(String tag, double rate, int messages) throws Exception {
        String slug = project("send " + tag, "/hook/" + tag);
        Receiver.Arrivals arrivals = receiver.track(tag, messages);
        pause();
        profile("start", tag);
        Costs.Phase phase = costs.start();
        OpenLoop.Run run = OpenLoop.run(api.host(), api.port(), connections, messages, rate,
                RequestTemplate.send(api.hostPort(), slug, adminKey, tag), Scenarios::sendAccepted, grace());
        Map<String, Object> cost = costs.finish(phase, run.acceptedMessages);
        profile("stop", tag);
        Map<String, Object> result = acceptSummary(run);
        result.put("cost_per_accepted_message", cost);
        result.put("delivered_while_paused", arrivals.count.get());
        result.put("drain", drain(arrivals, run.acceptedMessages));
        return result;
    }

    /** Accept through the batch endpoint, delivery paused; messages/s counts messages, not requests. */
    Map<String, Object> batch(String tag, int messages) throws Exception {
        if (!batchAvailable()) {
            Map<String, Object> skipped = new LinkedHashMap<>();
            skipped.put("skipped", batchUnavailable);
            return skipped;
        }
        int size = options.integer("batch-size");
        int requests = Math.max(1, messages / size);
        String slug = project("batch " + tag, "/hook/" + tag);
        Receiver.Arrivals arrivals = receiver.track(tag, requests * size);
        Map<Integer, LongAdder> itemStatuses = new ConcurrentHashMap<>();
        pause();
        profile("start", tag);
        Costs.Phase phase = costs.start();
        OpenLoop.Run run = OpenLoop.run(api.host(), api.port(), connections, requests, 0,
                RequestTemplate.batch(api.hostPort(), slug, adminKey, tag, size, options.flag("batch-idempotency")),
                batchOutcome(size, itemStatuses), grace());
        Map<String, Object> cost = costs.finish(phase, run.acceptedMessages);
        profile("stop", tag);
        Map<String, Object> result = acceptSummary(run);
        result.put("batch_size", size);
        result.put("idempotency_keys", options.flag("batch-idempotency"));
        Map<String, Long> items = new TreeMap<>();
        itemStatuses.forEach((status, n) -> items.put(Integer.toString(status), n.sum()));
        result.put("rejected_items_by_status", items);
        result.put("cost_per_accepted_message", cost);
        result.put("delivered_while_paused", arrivals.count.get());
        result.put("drain", drain(arrivals, run.acceptedMessages));
        return result;
    }

    /** Delivery alone: load messages with delivery paused, then resume and time until the receiver has every one. */
    Map<String, Object> deliver(String tag, int messages) throws Exception {
        String slug = project("deliver " + tag, "/hook/" + tag);
        pause();
        Map<String, Object> result = new LinkedHashMap<>();
        OpenLoop.Run load;
        Receiver.Arrivals arrivals;
        if (batchAvailable()) {
            int size = Math.min(options.integer("batch-size"), messages);
            int requests = Math.max(1, messages / size);
            arrivals = receiver.track(tag, requests * size);
            load = OpenLoop.run(api.host(), api.port(), connections, requests, 0,
                    RequestTemplate.batch(api.hostPort(), slug, adminKey, tag, size, false),
                    batchOutcome(size, new ConcurrentHashMap<>()), grace());
            result.put("loaded_through", "batch");
        } else {
            arrivals = receiver.track(tag, messages);
            load = OpenLoop.run(api.host(), api.port(), connections, messages, 0,
                    RequestTemplate.send(api.hostPort(), slug, adminKey, tag), Scenarios::sendAccepted, grace());
            result.put("loaded_through", "send");
        }
        long loaded = load.acceptedMessages;
        result.put("loaded", loaded);
        result.put("load_statuses", load.statusCounts());
        profile("start", tag);
        Costs.Phase phase = costs.start(); // also lets anything that leaks through the pause show up
        int early = arrivals.count.get();
        result.put("delivered_while_paused", early);
        long resumedAt = System.nanoTime();
        resume();
        boolean complete = arrivals.await((int) loaded, deliveryTimeout());
        long[] times = arrivals.times();
        int delivered = arrivals.count.get();
        Map<String, Object> cost = costs.finish(phase, delivered);
        profile("stop", tag);
        costs.busyUntilNow();
        long[] arrived = Arrays.stream(times).filter(t -> t > resumedAt).sorted().toArray();
        result.put("delivered", delivered);
        result.put("complete", complete);
        result.put("duplicates", arrivals.duplicates.get());
        if (arrived.length > 0) {
            double seconds = (arrived[arrived.length - 1] - resumedAt) / 1e9;
            result.put("seconds", Costs.round(seconds, 3));
            result.put("delivered_per_s", Costs.round(arrived.length / seconds, 1));
            result.put("first_delivery_ms", Stats.ms(arrived[0] - resumedAt));
            int p10 = Stats.rank(arrived.length, 0.10);
            int p90 = Stats.rank(arrived.length, 0.90);
            if (p90 > p10 && arrived[p90] > arrived[p10]) {
                result.put("steady_delivered_per_s", Costs.round((p90 - p10) / ((arrived[p90] - arrived[p10]) / 1e9), 1));
            }
        }
        result.put("cost_per_delivered_message", cost);
        return result;
    }

    /** Accepting at a fixed offered rate while deliveries flow: accepted/s, delivered/s, accept and end-to-end latency. */
    Map<String, Object> mixed(String tag, double rate, int messages) throws Exception {
        String slug = project("mixed " + tag, "/hook/" + tag);
        Receiver.Arrivals arrivals = receiver.track(tag, messages);
        resume();
        profile("start", tag);
        Costs.Phase phase = costs.start();
        OpenLoop.Run run = OpenLoop.run(api.host(), api.port(), connections, messages, rate,
                RequestTemplate.send(api.hostPort(), slug, adminKey, tag), Scenarios::sendAccepted, grace());
        long acceptEnd = run.lastEnd();
        boolean complete = arrivals.await((int) run.acceptedMessages, deliveryTimeout());
        Map<String, Object> cost = costs.finish(phase, run.acceptedMessages);
        profile("stop", tag);
        costs.busyUntilNow();
        Map<String, Object> result = acceptSummary(run);
        long[] times = arrivals.times();
        long lastArrival = 0;
        List<Long> endToEnd = new ArrayList<>();
        int inWindow = 0;
        for (int i = 0; i < times.length; i++) {
            if (times[i] != 0) {
                lastArrival = Math.max(lastArrival, times[i]);
                endToEnd.add(times[i] - run.due(i));
                if (times[i] <= acceptEnd) {
                    inWindow++;
                }
            }
        }
        double window = (acceptEnd - run.t0) / 1e9;
        result.put("delivered", arrivals.count.get());
        result.put("complete", complete);
        result.put("duplicates", arrivals.duplicates.get());
        result.put("delivered_during_accept", inWindow);
        result.put("delivered_per_s_during_accept", Costs.round(inWindow / window, 1));
        if (lastArrival > 0) {
            result.put("delivered_per_s_overall", Costs.round(arrivals.count.get() / ((lastArrival - run.t0) / 1e9), 1));
            result.put("backlog_at_accept_end", run.acceptedMessages - inWindow);
        }
        result.put("end_to_end_ms", Stats.latency(endToEnd.stream().mapToLong(Long::longValue).toArray()));
        result.put("cost_per_message", cost);
        return result;
    }

    /**
     * Isolation: project A's endpoint takes slow-ms per call and has isolation-queued messages
     * queued; then project B sends one (or a few) messages, whose delivery latency is the figure.
     */
    Map<String, Object> isolation() throws Exception {
        int queued = options.integer("isolation-queued");
        int probes = options.integer("isolation-probes");
        long slowMillis = options.longValue("slow-ms");
        String slowSlug = project("isolation slow", "/slow/ia");
        String fastSlug = project("isolation other", "/hook/ib");
        Receiver.Arrivals slow = receiver.track("ia", queued);
        Receiver.Arrivals fast = receiver.track("ib", probes);
        receiver.armSlow();
        resume();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("slow_ms", slowMillis);
        result.put("queued_for_slow_project", queued);
        for (int i = 0; i < queued; i++) {
            api.post("/api/v1/projects/" + slowSlug + "/messages/send", adminKey, sendBody("ia", i)).orThrow("send to the slow project");
        }
        // Let the workers take what they will of the slow project's messages before the probe is sent.
        int inFlight = receiver.slowInFlight.get();
        long settleDeadline = System.nanoTime() + 5_000_000_000L;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < settleDeadline && System.nanoTime() - stableSince < 500_000_000L) {
            Thread.sleep(20);
            int now = receiver.slowInFlight.get();
            if (now != inFlight) {
                inFlight = now;
                stableSince = System.nanoTime();
            }
        }
        result.put("slow_calls_in_flight_when_probed", receiver.slowInFlight.get());
        long[] sentAt = new long[probes];
        for (int i = 0; i < probes; i++) {
            if (i > 0) {
                Thread.sleep(200);
            }
            sentAt[i] = System.nanoTime();
            api.post("/api/v1/projects/" + fastSlug + "/messages/send", adminKey, sendBody("ib", i)).orThrow("send to the other project");
        }
        long waitMillis = Math.max(30_000, slowMillis * (queued + 2));
        boolean complete = fast.await(probes, Math.min(waitMillis, deliveryTimeout()));
        long[] times = fast.times();
        long[] latencies = new long[probes];
        List<Double> each = new ArrayList<>();
        int missing = 0;
        for (int i = 0; i < probes; i++) {
            if (times[i] == 0) {
                missing++;
                latencies[i] = System.nanoTime() - sentAt[i];
                each.add(null);
            } else {
                latencies[i] = times[i] - sentAt[i];
                each.add(Stats.ms(latencies[i]));
            }
        }
        result.put("other_project_delivery_ms", each);
        result.put("other_project_delivery_max_ms", Stats.ms(Arrays.stream(latencies).max().orElse(0)));
        result.put("other_project_undelivered", missing);
        result.put("complete", complete);
        result.put("slow_project_calls_received_before_probe_arrived", slow.count.get());
        receiver.releaseSlow();
        result.put("slow_project_drained", slow.await(queued, deliveryTimeout()));
        costs.busyUntilNow();
        return result;
    }

    boolean batchAvailable() throws IOException {
        if (!batchProbed) {
            batchProbed = true;
            String slug = project("batch probe", "/hook/bp");
            Http.Response response = api.post("/api/v1/projects/" + slug + "/messages/batch", adminKey, "{\"messages\":[]}");
            if (response.status() == 404 || response.status() == 405) {
                batchUnavailable = "the batch endpoint answered " + response.status() + " (not in this server)";
            }
        }
        return batchUnavailable == null;
    }

    private Map<String, Object> acceptSummary(OpenLoop.Run run) {
        Map<String, Object> result = new LinkedHashMap<>();
        boolean saturated = run.rate <= 0;
        double seconds = (run.lastEnd() - run.t0) / 1e9;
        result.put("offered_per_s", saturated ? "all due at start (saturation)" : run.rate * run.messagesPerRequest);
        result.put("connections", run.connections);
        result.put("requests", run.requests);
        result.put("accepted", run.acceptedMessages);
        result.put("seconds", Costs.round(seconds, 3));
        result.put("accepted_per_s", Costs.round(run.acceptedMessages / seconds, 1));
        if (run.messagesPerRequest > 1) {
            result.put("requests_per_s", Costs.round(run.requests / seconds, 1));
        }
        result.put("statuses", run.statusCounts());
        if (run.firstError != null) {
            result.put("first_error", run.firstError);
        }
        long[][] latencies = run.latencies();
        // With every request due at t0, time from due is time in the driver's queue plus service: not a latency figure.
        result.put("latency_from_due_ms", Stats.latency(latencies[0]));
        result.put("service_time_ms", Stats.latency(latencies[1]));
        result.put("send_lag_ms", Stats.latency(latencies[2]));
        result.put("headline_latency", saturated ? "service_time_ms" : "latency_from_due_ms");
        return result;
    }

    private Map<String, Object> drain(Receiver.Arrivals arrivals, long expected) throws Exception {
        long start = System.nanoTime();
        resume();
        boolean complete = arrivals.await((int) expected, deliveryTimeout());
        costs.busyUntilNow();
        Map<String, Object> drain = new LinkedHashMap<>();
        drain.put("delivered", arrivals.count.get());
        drain.put("complete", complete);
        drain.put("duplicates", arrivals.duplicates.get());
        drain.put("seconds", Costs.round((System.nanoTime() - start) / 1e9, 3));
        return drain;
    }

    private static int sendAccepted(int status, HttpStream response) {
        return status == 202 ? 1 : 0;
    }

    static OpenLoop.Outcome batchOutcome(int size, Map<Integer, LongAdder> itemStatuses) {
        return (status, response) -> {
            if (status == 202) {
                return size;
            }
            if (status != 207) {
                return 0;
            }
            try {
                JsonNode body = JSON.readTree(response.body(), 0, response.bodyLength());
                for (JsonNode item : body.path("results")) {
                    int itemStatus = item.path("status").asInt();
                    if (itemStatus != 202) {
                        itemStatuses.computeIfAbsent(itemStatus, s -> new LongAdder()).increment();
                    }
                }
                return body.path("accepted").asInt();
            } catch (IOException e) {
                return 0;
            }
        };
    }

    private String project(String label, String path) throws IOException {
        String name = "bench " + label + " " + System.nanoTime();
        String slug = JSON.readTree(api.post("/api/v1/projects", adminKey, JSON.writeValueAsString(Map.of("name", name)))
                .orThrow("create project").body()).get("slug").asText();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("url", "http://127.0.0.1:" + receiver.port() + path);
        long slowSeconds = options.longValue("slow-ms") / 1000;
        if (path.startsWith("/slow") && slowSeconds >= 9) {
            config.put("timeoutSeconds", Long.toString(Math.min(120, slowSeconds + 5)));
        }
        api.post("/api/v1/projects/" + slug + "/platforms", adminKey, JSON.writeValueAsString(Map.of(
                "platform", "webhook", "name", "bench",
                "credentials", Map.of("signingSecret", "bench-signing-secret-0123456789"),
                "config", config,
                "limits", Map.of("messagesPerSecond", 100000, "perTargetPerSecond", 100000)))).orThrow("configure webhook");
        return slug;
    }

    private static String sendBody(String tag, long index) {
        return "{\"platform\":\"webhook\",\"target\":{\"type\":\"user\",\"id\":\"u" + String.format("%03d", index % RequestTemplate.TARGETS)
                + "\"},\"text\":\"" + RequestTemplate.text(tag, index) + "\"}";
    }

    private void pause() throws IOException {
        admin.post("/tasks/pause-delivery", null, null).orThrow("pause-delivery");
    }

    private void resume() throws IOException {
        admin.post("/tasks/resume-delivery", null, null).orThrow("resume-delivery");
    }

    private long grace() {
        return options.longValue("grace-ms");
    }

    private long deliveryTimeout() {
        return options.longValue("delivery-timeout-s") * 1000;
    }

    /** Starts or stops async-profiler in the server (loaded with jcmd) around a measured phase. */
    private void profile(String action, String tag) throws IOException, InterruptedException {
        long pid = options.longValue("server-pid");
        if (!options.isSet("profile") || pid <= 0) {
            return;
        }
        String command = action.equals("start")
                ? "start,event=" + options.string("profile")
                : "stop,file=" + resultsDir.toAbsolutePath().resolve(stamp + "-" + tag + "." + options.string("profile-format"));
        Process process = new ProcessBuilder("jcmd", Long.toString(pid), "JVMTI.agent_load", options.string("profiler-lib"),
                "\"" + command + "\"").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || !output.contains("return code: 0")) {
            System.err.println("profiler " + action + " failed: " + output.trim());
        }
    }
}
