package dev.gatekit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What this machine's Postgres and Redis do with nothing in between, at the driver's concurrency:
 * the ceilings GateKit's figures are read against. Postgres: pgbench, one single-row INSERT of a
 * jsonb row per transaction (a message-sized body), in a database of its own. Redis:
 * redis-benchmark's SET and ZADD on keys under the run's prefix.
 */
final class Floors {

    static final String INSERT = "INSERT INTO floor_message (body) VALUES ('{\"platform\":\"webhook\","
            + "\"target\":{\"type\":\"user\",\"id\":\"u042\"},\"content\":{\"text\":\"gkb-fl-0000000042\"}}');";

    private Floors() {
    }

    /** pgbench in a fresh database {@code database} (dropped afterwards), with the same cost counts as a GateKit phase. */
    static Map<String, Object> postgres(Costs.Psql psql, String database, int clients, int seconds,
                                        String redisHost, int redisPort, long settleMillis) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        psql.execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        psql.execute("postgres", "CREATE DATABASE " + database);
        Path script = Files.createTempFile("gatekit-floor", ".sql");
        try {
            psql.execute(database, "CREATE TABLE floor_message (id bigserial PRIMARY KEY, body jsonb NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT now())");
            Files.writeString(script, INSERT + "\n");
            Costs costs = new Costs(-1, database, psql, redisHost, redisPort, null, 0, settleMillis);
            Costs.Phase phase = costs.start();
            List<String> command = List.of("pgbench", "-h", psql.host(), "-p", Integer.toString(psql.port()),
                    "-U", psql.user(), "-n", "-M", "prepared", "-c", Integer.toString(clients),
                    "-j", Integer.toString(Math.min(clients, Runtime.getRuntime().availableProcessors())),
                    "-T", Integer.toString(seconds), "-f", script.toString(), database);
            String output = run(command);
            double tps = number(output, "tps = ([0-9.]+)");
            long transactions = (long) number(output, "number of transactions actually processed: ([0-9]+)");
            result.put("command", String.join(" ", command));
            result.put("clients", clients);
            result.put("tps", Costs.round(tps, 1));
            result.put("latency_avg_ms", number(output, "latency average = ([0-9.]+) ms"));
            result.put("transactions", transactions);
            Map<String, Object> cost = costs.finish(phase, transactions);
            cost.keySet().removeIf(key -> key.startsWith("server_"));
            cost.remove("sql_statements_per_msg");
            cost.remove("postgres_db_backends_cpu_ms_per_msg"); // pgbench's backends come and go within the phase
            cost.remove("redis_top_commands_per_msg");
            result.put("cost_per_transaction", cost);
        } finally {
            Files.deleteIfExists(script);
            psql.execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        return result;
    }

    /** redis-benchmark SET and ZADD with {@code clients} connections, on keys under {@code prefix} (deleted afterwards). */
    static Map<String, Object> redis(String host, int port, int clients, int requests, String prefix) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("clients", clients);
        result.put("requests", requests);
        String[][] commands = {
                {"SET", prefix + "floor:k:__rand_int__", "v"},
                {"ZADD", prefix + "floor:z", "__rand_int__", "m:__rand_int__"},
        };
        try {
            for (String[] c : commands) {
                List<String> command = new ArrayList<>(List.of("redis-benchmark", "-h", host, "-p", Integer.toString(port),
                        "-c", Integer.toString(clients), "-n", Integer.toString(requests), "-r", "100000", "--csv"));
                command.addAll(List.of(c));
                String output = run(command);
                // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
                String[] last = null;
                for (String line : output.split("\n")) {
                    if (line.startsWith("\"" + c[0])) {
                        last = line.replace("\"", "").split(",");
                    }
                }
                if (last == null) {
                    throw new IOException("redis-benchmark printed no result: " + output);
                }
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("rps", Double.parseDouble(last[1]));
                one.put("latency_avg_ms", Double.parseDouble(last[2]));
                one.put("latency_p99_ms", Double.parseDouble(last[6]));
                result.put(c[0].toLowerCase(), one);
            }
        } finally {
            try (Resp resp = new Resp(host, port)) {
                resp.deleteMatching(prefix + "floor:*");
            }
        }
        return result;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(command.get(0) + " failed: " + output.trim());
        }
        return output;
    }

    private static double number(String output, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(output);
        if (!m.find()) {
            throw new IOException("no '" + regex + "' in: " + output);
        }
        return Double.parseDouble(m.group(1));
    }
}
