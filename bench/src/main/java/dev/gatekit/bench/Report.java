package dev.gatekit.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable form of a run's result: the same figures as the JSON, as tables. */
final class Report {

    private final Map<String, Object> result;
    private final PrintStream out;

    Report(Map<String, Object> result, PrintStream out) {
        this.result = result;
        this.out = out;
    }

    void print() {
        Map<String, Object> run = map(result.get("run"));
        out.println();
        out.printf("GateKit bench %s  commit %s  %s cores  load %s at start  connections %s%n",
                run.get("timestamp"), run.get("commit"), run.get("cores"), run.get("load_average_start"), run.get("connections"));
        if (result.containsKey("error")) {
            out.println("RUN FAILED: " + result.get("error"));
        }
        double pgFloor = floors();
        Map<String, Object> scenarios = map(result.get("scenarios"));
        if (scenarios == null || scenarios.isEmpty()) {
            return;
        }
        out.println();
        out.printf("%-10s %-12s %9s %11s %7s  %-13s %8s %8s %8s %8s %8s  %s%n", "scenario", "offered/s", "msg/s", "delivered/s",
                "%pgfloor", "latency (ms)", "p50", "p90", "p99", "p999", "max", "statuses");
        for (Map.Entry<String, Object> e : scenarios.entrySet()) {
            scenarioRow(e.getKey(), map(e.getValue()), pgFloor);
        }
        out.println();
        out.printf("%-22s %7s %7s %7s %7s %7s %7s %8s %7s %7s %7s %7s %8s   %s%n", "cost per message", "srv ms", "jit ms", "pg ms", "pgdb ms",
                "rds ms", "drv ms", "rds cmd", "pg xact", "fsync", "SQL", "rows+", "othDB tx", "cores: server pg redis driver other");
        for (Map.Entry<String, Object> e : scenarios.entrySet()) {
            Map<String, Object> s = map(e.getValue());
            for (String key : List.of("cost_per_accepted_message", "cost_per_delivered_message", "cost_per_message")) {
                if (s.containsKey(key)) {
                    costRow(e.getKey() + " " + key.replace("cost_per_", "").replace("_message", ""), map(s.get(key)));
                }
            }
        }
        Map<String, Object> floors = map(result.get("floors"));
        if (floors != null && floors.get("postgres") instanceof Map<?, ?> pg && pg.containsKey("cost_per_transaction")) {
            costRow("floor pgbench per tx", map(pg.get("cost_per_transaction")));
        }
        out.println("  (srv ms: all the server's CPU, jit ms: the part its JIT compilers took; pg ms: all Postgres processes; pgdb ms: backends of the bench database; fsync: WAL syncs of the whole cluster;"
                + " rows+: rows inserted+updated+deleted; SQL: gatekit.db.statements;");
        out.println("   othDB tx: transactions other databases ran during the phase, i.e. others' share of the cluster-wide fsync figure)");
        boolean header = false;
        for (Map.Entry<String, Object> e : scenarios.entrySet()) {
            for (Object cost : map(e.getValue()).values()) {
                if (cost instanceof Map<?, ?> c && c.get("net_of_idle_baseline") instanceof Map<?, ?> net) {
                    if (!header) {
                        out.printf("%-22s %7s %7s %7s %8s %7s %7s%n", "net of idle baseline", "srv ms", "srv-jit", "pg ms", "rds cmd", "pg xact", "fsync");
                        header = true;
                    }
                    Map<String, Object> n = map(net);
                    out.printf("%-22s %7s %7s %7s %8s %7s %7s%n", e.getKey(), num(n.get("server_cpu_ms_per_msg")),
                            num(n.get("server_cpu_ms_per_msg_without_jit")), num(n.get("postgres_cpu_ms_per_msg")),
                            num(n.get("redis_commands_per_msg")), num(n.get("postgres_commits_per_msg")), num(n.get("wal_syncs_per_msg")));
                }
            }
        }
        for (Map.Entry<String, Object> e : scenarios.entrySet()) {
            Map<String, Object> s = map(e.getValue());
            for (Object cost : s.values()) {
                if (cost instanceof Map<?, ?> c && c.containsKey("redis_top_commands_per_msg")) {
                    out.printf("  redis commands per message, %s: %s%n", e.getKey(), map(c.get("redis_top_commands_per_msg"))
                            .entrySet().stream().map(x -> x.getKey() + " " + x.getValue()).collect(Collectors.joining(", ")));
                }
            }
        }
        Map<String, Object> idle = map(result.get("idle"));
        if (idle != null) {
            Map<String, Object> cores = map(idle.get("cpu_cores_used"));
            Map<String, Object> perSecond = map(idle.get("per_second"));
            out.printf("idle background (%s s): cores server %s, postgres %s, redis %s, other processes %s, steal %s;"
                            + " per second: redis commands %s, bench-db commits %s, WAL syncs %s%n",
                    idle.get("window_s"), cores.get("server"), cores.get("postgres"), cores.get("redis"), cores.get("other_processes"),
                    cores.get("steal"), perSecond.get("redis_commands"), perSecond.get("postgres_commits"), perSecond.get("wal_syncs"));
        }
        Map<String, Object> memory = map(result.get("server_memory"));
        if (memory != null) {
            out.printf("server at the end: RSS %s MiB (peak %s), heap used %s MiB (committed %s)%n", memory.get("rss_mib"),
                    memory.get("rss_peak_mib"), memory.get("heap_used_mib"), memory.get("heap_committed_mib"));
        }
    }

    private double floors() {
        Map<String, Object> floors = map(result.get("floors"));
        if (floors == null) {
            return 0;
        }
        Map<String, Object> pg = map(floors.get("postgres"));
        Map<String, Object> redis = map(floors.get("redis"));
        StringBuilder line = new StringBuilder("floors: ");
        double tps = 0;
        if (pg != null && pg.containsKey("tps")) {
            tps = ((Number) pg.get("tps")).doubleValue();
            line.append(String.format(Locale.ROOT, "pgbench jsonb INSERT %,.0f tx/s (%s clients, avg %s ms)", tps, pg.get("clients"),
                    pg.get("latency_avg_ms")));
        } else if (pg != null) {
            line.append("pgbench: ").append(pg.get("error"));
        }
        if (redis != null && redis.containsKey("set")) {
            line.append(String.format(Locale.ROOT, "; redis-benchmark SET %,.0f/s, ZADD %,.0f/s (%s clients)",
                    ((Number) map(redis.get("set")).get("rps")).doubleValue(), ((Number) map(redis.get("zadd")).get("rps")).doubleValue(),
                    redis.get("clients")));
        } else if (redis != null) {
            line.append("; redis-benchmark: ").append(redis.get("error"));
        }
        out.println(line);
        return tps;
    }

    private void scenarioRow(String name, Map<String, Object> s, double pgFloor) {
        if (s.containsKey("skipped") || s.containsKey("error")) {
            out.printf("%-10s %s%n", name, s.containsKey("skipped") ? "skipped: " + s.get("skipped") : "FAILED: " + s.get("error"));
            return;
        }
        if (name.equals("isolation")) {
            out.printf("%-10s other project's message delivered in %s ms (max %s ms) with %s slow calls in flight (%s ms each, %s queued)%n",
                    name, s.get("other_project_delivery_ms"), s.get("other_project_delivery_max_ms"),
                    s.get("slow_calls_in_flight_when_probed"), s.get("slow_ms"), s.get("queued_for_slow_project"));
            return;
        }
        Object offered = s.get("offered_per_s");
        String offeredText = offered == null ? "-" : offered instanceof Number n ? fmt(n.doubleValue()) : "saturation";
        Object accepted = s.get("accepted_per_s");
        Object delivered = s.containsKey("delivered_per_s") ? s.get("delivered_per_s") : s.get("delivered_per_s_during_accept");
        Object main = accepted != null ? accepted : delivered;
        String ratio = pgFloor > 0 && main instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", 100 * n.doubleValue() / pgFloor) : "-";
        String latencyKey = (String) s.getOrDefault("headline_latency", null);
        Map<String, Object> latency = latencyKey == null ? null : map(s.get(latencyKey));
        out.printf("%-10s %-12s %9s %11s %7s  %-13s %s  %s%n", name, offeredText, accepted == null ? "-" : fmt(accepted),
                delivered == null ? "-" : fmt(delivered), ratio,
                latencyKey == null ? "" : latencyKey.replace("_ms", "").replace("latency_", ""), percentiles(latency),
                s.getOrDefault("statuses", ""));
        if (s.containsKey("end_to_end_ms")) {
            out.printf("%-10s %-12s %9s %11s %7s  %-13s %s%n", "", "", "", "", "", "end to end", percentiles(map(s.get("end_to_end_ms"))));
        }
        if (name.equals("deliver")) {
            out.printf("%-10s %s delivered in %s s (loaded through %s), first after %s ms, steady %s/s%n", "", s.get("delivered"),
                    s.get("seconds"), s.get("loaded_through"), s.get("first_delivery_ms"), s.get("steady_delivered_per_s"));
        }
        if (s.containsKey("first_error")) {
            out.printf("%-10s first error: %s%n", "", s.get("first_error"));
        }
        for (String check : List.of("delivered_while_paused", "duplicates")) {
            if (s.get(check) instanceof Number n && n.longValue() > 0) {
                out.printf("%-10s %s: %s%n", "", check, n);
            }
        }
        if (s.get("drain") instanceof Map<?, ?> drain && !Boolean.TRUE.equals(drain.get("complete"))) {
            out.printf("%-10s NOT ALL DELIVERED after the phase: %s%n", "", drain);
        }
        if (s.containsKey("complete") && !Boolean.TRUE.equals(s.get("complete"))) {
            out.printf("%-10s NOT ALL DELIVERED: %s of %s%n", "", s.get("delivered"), s.getOrDefault("accepted", s.get("loaded")));
        }
    }

    private void costRow(String label, Map<String, Object> c) {
        Map<String, Object> cores = map(c.get("cpu_cores_used"));
        double rows = 0;
        for (String k : List.of("rows_inserted_per_msg", "rows_updated_per_msg", "rows_deleted_per_msg")) {
            if (c.get(k) instanceof Number n) {
                rows += n.doubleValue();
            }
        }
        Map<String, Object> raw = map(c.get("raw"));
        out.printf("%-22s %7s %7s %7s %7s %7s %7s %8s %7s %7s %7s %7s %8s   %s %s %s %s %s%n", label.length() > 22 ? label.substring(0, 22) : label,
                num(c.get("server_cpu_ms_per_msg")), num(c.get("server_jit_cpu_ms_per_msg")), num(c.get("postgres_cpu_ms_per_msg")), num(c.get("postgres_db_backends_cpu_ms_per_msg")),
                num(c.get("redis_cpu_ms_per_msg")), num(c.get("driver_cpu_ms_per_msg")), num(c.get("redis_commands_per_msg")),
                num(c.get("postgres_xacts_per_msg")), num(c.get("wal_syncs_per_msg")), num(c.get("sql_statements_per_msg")),
                num(rows), raw == null ? "" : raw.get("other_databases_xacts"), cores.get("server"), cores.get("postgres"), cores.get("redis"), cores.get("driver"), cores.get("other_processes"));
    }

    private static String percentiles(Map<String, Object> latency) {
        if (latency == null || !latency.containsKey("p50")) {
            return "";
        }
        return String.format("%8s %8s %8s %8s %8s", num(latency.get("p50")), num(latency.get("p90")), num(latency.get("p99")),
                num(latency.get("p999")), num(latency.get("max")));
    }

    private static String fmt(Object value) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%,.0f", n.doubleValue()) : String.valueOf(value);
    }

    private static String num(Object value) {
        if (!(value instanceof Number n)) {
            return "n/a";
        }
        double v = n.doubleValue();
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }
}
