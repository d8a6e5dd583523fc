package dev.gatekit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * GateKit's load harness: runs the chosen scenarios against a running server (bench/run.sh starts
 * one), the floors of this machine's Postgres and Redis, and the cost counts of each phase, then
 * prints the figures and writes them all as JSON. See bench/README.md for what each figure means.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path resultsDir = Path.of(options.string("results-dir"));
        Files.createDirectories(resultsDir);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("run", runInfo(options, stamp));
        List<String> chosen = options.scenarios();
        Receiver receiver = new Receiver(options.longValue("slow-ms"));
        AtomicBoolean written = new AtomicBoolean();
        Thread interrupted = new Thread(() -> {
            // Interrupted (Ctrl-C, kill): keep what was measured so far.
            result.put("error", "interrupted");
            write(result, receiver, resultsDir, stamp, written);
        });
        Runtime.getRuntime().addShutdownHook(interrupted);
        boolean failed = false;
        try {
            run(options, chosen, receiver, result, resultsDir, stamp);
        } catch (Exception e) {
            failed = true;
            result.put("error", e.toString());
            e.printStackTrace();
        } finally {
            write(result, receiver, resultsDir, stamp, written);
        }
        System.exit(failed ? 1 : 0);
    }

    private static void write(Map<String, Object> result, Receiver receiver, Path resultsDir, String stamp, AtomicBoolean written) {
        if (!written.compareAndSet(false, true)) {
            return;
        }
        try {
            receiver.close();
            Map<String, Object> run = map(result.get("run"));
            run.put("load_average_end", loadAverage());
            run.put("receiver", Map.of("connections", receiver.connections.get(), "requests", receiver.requests.get(),
                    "foreign", receiver.foreign.get()));
            Path file = resultsDir.resolve(stamp + ".json");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), result);
            new Report(result, System.out).print();
            System.out.println("figures: " + file);
        } catch (Exception e) {
            System.err.println("could not write the result: " + e);
        }
    }

    private static void run(Options options, List<String> chosen, Receiver receiver, Map<String, Object> result,
                            Path resultsDir, String stamp) throws Exception {
        Http api = new Http(options.string("api"));
        // The admin port's token comes from the environment, never the command line (visible to ps).
        Http admin = new Http(options.string("admin"), System.getenv("GATEKIT_ADMIN_TOKEN"));
        Costs.Psql psql = new Costs.Psql(options.string("pg-host"), options.integer("pg-port"), options.string("pg-user"));
        String redisHost = options.string("redis-host");
        int redisPort = options.integer("redis-port");
        long settle = options.longValue("settle-ms");
        int connections = options.integer("connections");

        if (chosen.contains("floors")) {
            Map<String, Object> floors = new LinkedHashMap<>();
            result.put("floors", floors);
            progress("floor: pgbench");
            try {
                String database = options.isSet("database") ? options.string("database") : "gatekit_bench";
                floors.put("postgres", Floors.postgres(psql, database + "_floor", connections,
                        options.integer("floor-seconds"), redisHost, redisPort, settle));
            } catch (Exception e) {
                floors.put("postgres", Map.of("error", e.toString()));
            }
            progress("floor: redis-benchmark");
            try {
                floors.put("redis", Floors.redis(redisHost, redisPort, connections, options.integer("redis-requests"),
                        options.string("redis-prefix")));
            } catch (Exception e) {
                floors.put("redis", Map.of("error", e.toString()));
            }
        }
        if (chosen.stream().allMatch("floors"::equals)) {
            return;
        }

        Costs costs = new Costs(options.longValue("server-pid"), options.string("database"), psql, redisHost, redisPort, admin,
                options.longValue("tail-ms"), settle);
        String adminKey = admin.post("/tasks/mint-admin-key?name=bench", null, null).orThrow("mint-admin-key").body().trim();
        Scenarios scenarios = new Scenarios(options, api, admin, receiver, costs, adminKey, resultsDir, stamp);
        progress("warm-up");
        result.put("warmup", scenarios.warmup(options.integer("warmup"), chosen.contains("batch")));
        if (options.integer("idle-seconds") > 0) {
            progress("idle baseline");
            result.put("idle", scenarios.idle(options.integer("idle-seconds")));
        }
        Map<String, Object> results = new LinkedHashMap<>();
        result.put("scenarios", results);
        int messages = options.integer("messages");
        double rate = options.decimal("rate");
        double mixedRate = options.isSet("mixed-rate") ? options.decimal("mixed-rate") : rate;
        for (String name : chosen) {
            if (name.equals("floors")) {
                continue;
            }
            progress(name);
            Map<String, Object> scenario;
            try {
                scenario = switch (name) {
                    case "send" -> scenarios.send("sa", 0, messages);
                    case "send-rate" -> scenarios.send("sr", rate, forRate(options, rate, messages));
                    case "batch" -> scenarios.batch("ba", messages);
                    case "deliver" -> scenarios.deliver("dl", messages);
                    case "mixed" -> scenarios.mixed("mx", mixedRate, forRate(options, mixedRate, messages));
                    case "isolation" -> scenarios.isolation();
                    default -> throw new IllegalStateException(name);
                };
            } catch (Exception e) {
                e.printStackTrace();
                scenario = new LinkedHashMap<>();
                scenario.put("error", e.toString());
            }
            ratios(scenario, map(result.get("floors")));
            results.put(name, scenario);
        }
        result.put("server_memory", costs.serverMemory());
    }

    /** Adds each throughput figure as a fraction of the floors measured in the same run. */
    private static void ratios(Map<String, Object> scenario, Map<String, Object> floors) {
        if (floors == null) {
            return;
        }
        Map<String, Object> pg = map(floors.get("postgres"));
        Map<String, Object> redis = map(floors.get("redis"));
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String figure : List.of("accepted_per_s", "delivered_per_s", "delivered_per_s_during_accept")) {
            if (scenario.get(figure) instanceof Number n) {
                if (pg != null && pg.get("tps") instanceof Number tps) {
                    ratios.put(figure + "_over_pgbench_insert_tps", Costs.round(n.doubleValue() / tps.doubleValue(), 4));
                }
                if (redis != null && map(redis.get("set")) != null) {
                    double set = ((Number) map(redis.get("set")).get("rps")).doubleValue();
                    ratios.put(figure + "_over_redis_set_rps", Costs.round(n.doubleValue() / set, 4));
                }
            }
        }
        if (!ratios.isEmpty()) {
            scenario.put("ratios_to_floors", ratios);
        }
    }

    private static int forRate(Options options, double rate, int messages) {
        return options.isSet("duration") ? (int) Math.round(rate * options.decimal("duration")) : messages;
    }

    private static Map<String, Object> runInfo(Options options, String stamp) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("timestamp", stamp);
        run.put("commit", options.string("commit"));
        run.put("note", options.string("note"));
        run.put("server_settings", options.string("server-settings"));
        run.put("cores", Runtime.getRuntime().availableProcessors());
        run.put("memory_total_mib", memTotal());
        run.put("java", System.getProperty("java.version"));
        run.put("load_average_start", loadAverage());
        run.put("connections", options.integer("connections"));
        run.put("options", options.all());
        return run;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return 0;
    }

    private static void progress(String what) {
        System.out.printf("[%tT] %s%n", System.currentTimeMillis(), what);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
