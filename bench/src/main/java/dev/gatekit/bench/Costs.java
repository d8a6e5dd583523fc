package dev.gatekit.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a phase cost, in counts that do not depend on how busy the machine was: CPU time of the
 * server, of Postgres and of Redis from /proc; Postgres transactions, rows and WAL from its
 * statistics views; Redis commands from INFO; SQL statements from GateKit's own counter.
 *
 * <p>Postgres (15) backends publish their statistics at most once a second, and a backend that
 * goes idle publishes them only 10 s later, so a phase's Postgres counters are read
 * {@code settleMillis} after its end, and the next phase starts no sooner. CPU, Redis and the
 * statement counter are read {@code tailMillis} after the end (so the usage flush and other
 * once-a-second work the messages caused is counted, and little else).
 */
final class Costs {

    static final long CLOCK_TICKS = clockTicks();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATEMENTS_METRIC = "gatekit.db.statements";

    private final long serverPid;
    private final String database;
    private final Psql psql;
    private final Http admin;
    private final long tailMillis;
    private final long settleMillis;
    private long quietSince = System.nanoTime();
    /** Per second with no load (see {@link #useAsBaseline}), or null. */
    private Map<String, Double> baseline;

    /** Runs one statement through psql against the {@code postgres} database, so the bench database's counts stay its own. */
    record Psql(String host, int port, String user) {
        List<String[]> query(String sql) throws IOException {
            Process process = new ProcessBuilder("psql", "-h", host, "-p", Integer.toString(port), "-U", user,
                    "-d", "postgres", "-AtqX", "-F", "|", "-c", sql).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (process.waitFor() != 0) {
                    throw new IOException("psql failed: " + output.trim());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (!line.isBlank()) {
                    rows.add(line.split("\\|", -1));
                }
            }
            return rows;
        }

        void execute(String database, String sql) throws IOException {
            Process process = new ProcessBuilder("psql", "-h", host, "-p", Integer.toString(port), "-U", user,
                    "-d", database, "-qX", "-v", "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (process.waitFor() != 0) {
                    throw new IOException("psql failed: " + output.trim());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** Instantaneous counters: CPU ticks from /proc, Redis commands, GateKit's statement counter. */
    private static final class Instant {
        long nanos;
        long server;
        /** The server's JIT compiler threads and its GC (and VM) threads, by thread id. */
        Map<Long, Long> serverJit = new HashMap<>();
        Map<Long, Long> serverGc = new HashMap<>();
        Map<Long, Long> postgres = new HashMap<>();
        long postgresAll;
        long redis;
        long driver;
        long machineBusy;
        long machineSteal;
        long redisCommands;
        long redisCpuMicros;
        Map<String, Long> redisCalls = new HashMap<>();
        Long statements;
    }

    /** Postgres's statistics for the bench database and the cluster's WAL. */
    private static final class PgCounters {
        long commits;
        long rollbacks;
        long inserted;
        long updated;
        long deleted;
        long walSyncs;
        long walWrites;
        long walRecords;
        long walBytes;
        /** Commits and rollbacks in every other database but {@code postgres}: others' work in the cluster-wide WAL figures. */
        Map<String, Long> otherDatabasesXacts = new HashMap<>();
        Set<Long> backends = new HashSet<>();
    }

    /** A phase's starting counters. */
    final class Phase {
        private final PgCounters pg;
        private final Instant start;
        private final long redisSentBefore;

        private Phase(PgCounters pg, Instant start, long redisSentBefore) {
            this.pg = pg;
            this.start = start;
            this.redisSentBefore = redisSentBefore;
        }
    }

    private final Resp redis;

    Costs(long serverPid, String database, Psql psql, String redisHost, int redisPort, Http admin,
          long tailMillis, long settleMillis) throws IOException {
        this.serverPid = serverPid;
        this.database = database;
        this.psql = psql;
        this.admin = admin;
        this.tailMillis = tailMillis;
        this.settleMillis = settleMillis;
        this.redis = new Resp(redisHost, redisPort);
    }

    /** Marks the moment the work that Postgres may not have published yet ended. */
    void busyUntilNow() {
        quietSince = System.nanoTime();
    }

    /** Waits until Postgres has published every earlier phase's counts, then reads the starting counters. */
    Phase start() throws IOException, InterruptedException {
        sleepUntil(quietSince + settleMillis * 1_000_000L);
        PgCounters pg = pgCounters();
        Long statements = statements();
        long sentBefore = redis.sent();
        Instant start = instant(true);
        start.statements = statements;
        return new Phase(pg, start, sentBefore);
    }

    /**
     * Reads the ending counters (the instantaneous ones {@code tailMillis} after now, Postgres's
     * {@code settleMillis} after now) and returns the phase's costs, per message where that means
     * something.
     */
    Map<String, Object> finish(Phase phase, long messages) throws IOException, InterruptedException {
        long end = System.nanoTime();
        sleepUntil(end + tailMillis * 1_000_000L);
        Instant stop = instant(false);
        stop.statements = statements();
        long ownRedisCommands = redis.sent() - phase.redisSentBefore - 1; // the INFO in `stop` is not counted yet
        sleepUntil(end + settleMillis * 1_000_000L);
        PgCounters pg = pgCounters();
        quietSince = end;
        return figures(phase, stop, pg, messages, ownRedisCommands);
    }

    /**
     * Takes an idle phase's figures as the background rate, so later phases also report their
     * cost net of it (what the messages added): idle server work, others' Redis commands and WAL.
     */
    void useAsBaseline(Map<String, Object> idle) {
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = (Map<String, Object>) idle.get("raw");
        double seconds = ((Number) idle.get("window_s")).doubleValue();
        baseline = new HashMap<>();
        for (String key : BASELINE_KEYS) {
            if (raw.get(key) instanceof Number n) {
                baseline.put(key, n.doubleValue() / seconds);
            }
        }
    }

    private static final List<String> BASELINE_KEYS = List.of("server_cpu_ticks", "server_jit_cpu_ticks", "postgres_cpu_ticks", "redis_commands",
            "postgres_commits", "wal_syncs");

    /** The server's resident set and heap now, in MiB. */
    Map<String, Object> serverMemory() throws IOException {
        Map<String, Object> memory = new LinkedHashMap<>();
        if (serverPid > 0) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(serverPid), "status"))) {
                if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    memory.put(line.startsWith("VmRSS:") ? "rss_mib" : "rss_peak_mib", Math.round(kib / 1024.0));
                }
            }
        }
        if (admin != null) {
            JsonNode gauges = JSON.readTree(admin.get("/metrics", null).orThrow("metrics").body()).path("gauges");
            memory.put("heap_used_mib", Math.round(gauges.path("jvm.memory.heap.used").path("value").asDouble() / 1048576));
            memory.put("heap_committed_mib", Math.round(gauges.path("jvm.memory.heap.committed").path("value").asDouble() / 1048576));
        }
        return memory;
    }

    private Map<String, Object> figures(Phase phase, Instant stop, PgCounters pgEnd, long messages, long ownRedis) {
        Instant start = phase.start;
        PgCounters pgStart = phase.pg;
        double seconds = (stop.nanos - start.nanos) / 1e9;
        double tickMs = 1000.0 / CLOCK_TICKS;
        long server = stop.server - start.server;
        long jit = threadDelta(start.serverJit, stop.serverJit);
        long gc = threadDelta(start.serverGc, stop.serverGc);
        long pgAll = stop.postgresAll - start.postgresAll;
        Set<Long> backends = new HashSet<>(pgStart.backends);
        backends.addAll(pgEnd.backends);
        long pgDb = 0;
        for (Long pid : backends) {
            Long after = stop.postgres.get(pid);
            if (after != null) {
                pgDb += after - start.postgres.getOrDefault(pid, 0L);
            }
        }
        long redisTicks = stop.redis - start.redis;
        long driver = stop.driver - start.driver;
        long busy = stop.machineBusy - start.machineBusy;
        long steal = stop.machineSteal - start.machineSteal;
        long other = busy - steal - server - pgAll - redisTicks - driver;
        long redisCommands = stop.redisCommands - start.redisCommands - ownRedis;
        long xacts = (pgEnd.commits - pgStart.commits) + (pgEnd.rollbacks - pgStart.rollbacks);

        Map<String, Object> f = new LinkedHashMap<>();
        f.put("messages", messages);
        f.put("window_s", round(seconds, 3));
        f.put("server_cpu_ms_per_msg", per(server * tickMs, messages));
        f.put("server_cpu_ms_per_msg_without_jit", per((server - jit) * tickMs, messages));
        f.put("server_jit_cpu_ms_per_msg", per(jit * tickMs, messages));
        f.put("server_gc_cpu_ms_per_msg", per(gc * tickMs, messages));
        f.put("postgres_cpu_ms_per_msg", per(pgAll * tickMs, messages));
        f.put("postgres_db_backends_cpu_ms_per_msg", per(pgDb * tickMs, messages));
        f.put("redis_cpu_ms_per_msg", per(redisTicks * tickMs, messages));
        f.put("driver_cpu_ms_per_msg", per(driver * tickMs, messages));
        f.put("redis_commands_per_msg", per(redisCommands, messages));
        f.put("postgres_xacts_per_msg", per(xacts, messages));
        f.put("wal_syncs_per_msg", per(pgEnd.walSyncs - pgStart.walSyncs, messages));
        f.put("wal_bytes_per_msg", per(pgEnd.walBytes - pgStart.walBytes, messages));
        f.put("rows_inserted_per_msg", per(pgEnd.inserted - pgStart.inserted, messages));
        f.put("rows_updated_per_msg", per(pgEnd.updated - pgStart.updated, messages));
        f.put("rows_deleted_per_msg", per(pgEnd.deleted - pgStart.deleted, messages));
        f.put("sql_statements_per_msg", start.statements == null || stop.statements == null
                ? null : per(stop.statements - start.statements, messages));

        Map<String, Object> cores = new LinkedHashMap<>();
        double tickCores = 1.0 / (CLOCK_TICKS * Math.max(seconds, 1e-9));
        cores.put("server", round(server * tickCores, 2));
        cores.put("postgres", round(pgAll * tickCores, 2));
        cores.put("redis", round(redisTicks * tickCores, 2));
        cores.put("driver", round(driver * tickCores, 2));
        cores.put("other_processes", round(other * tickCores, 2));
        cores.put("steal", round(steal * tickCores, 2));
        cores.put("machine_busy", round(busy * tickCores, 2));
        f.put("cpu_cores_used", cores);

        Map<String, Long> calls = new HashMap<>();
        stop.redisCalls.forEach((command, n) -> {
            long delta = n - start.redisCalls.getOrDefault(command, 0L);
            if (delta > 0) {
                calls.put(command, delta);
            }
        });
        calls.computeIfPresent("info", (k, n) -> n - ownRedis > 0 ? n - ownRedis : null);
        Map<String, Object> top = new LinkedHashMap<>();
        calls.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(8)
                .forEach(e -> top.put(e.getKey(), per(e.getValue(), messages)));
        f.put("redis_top_commands_per_msg", top);

        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("server_cpu_ticks", server);
        raw.put("server_jit_cpu_ticks", jit);
        raw.put("server_gc_cpu_ticks", gc);
        raw.put("postgres_cpu_ticks", pgAll);
        raw.put("postgres_db_backends_cpu_ticks", pgDb);
        raw.put("postgres_db_backends", backends.size());
        raw.put("redis_cpu_ticks", redisTicks);
        raw.put("redis_cpu_info_ms", round((stop.redisCpuMicros - start.redisCpuMicros) / 1000.0, 1));
        raw.put("driver_cpu_ticks", driver);
        raw.put("clock_ticks_per_s", CLOCK_TICKS);
        raw.put("redis_commands", redisCommands);
        raw.put("postgres_commits", pgEnd.commits - pgStart.commits);
        raw.put("postgres_rollbacks", pgEnd.rollbacks - pgStart.rollbacks);
        raw.put("wal_syncs", pgEnd.walSyncs - pgStart.walSyncs);
        long others = 0; // databases created during the phase count whole; those dropped during it are lost
        for (Map.Entry<String, Long> e : pgEnd.otherDatabasesXacts.entrySet()) {
            others += Math.max(0, e.getValue() - pgStart.otherDatabasesXacts.getOrDefault(e.getKey(), 0L));
        }
        raw.put("other_databases_xacts", others);
        raw.put("wal_writes", pgEnd.walWrites - pgStart.walWrites);
        raw.put("wal_records", pgEnd.walRecords - pgStart.walRecords);
        raw.put("wal_bytes", pgEnd.walBytes - pgStart.walBytes);
        raw.put("sql_statements", start.statements == null || stop.statements == null ? null : stop.statements - start.statements);
        f.put("raw", raw);
        if (baseline != null && messages > 0) {
            Map<String, Object> net = new LinkedHashMap<>();
            double tick = 1000.0 / CLOCK_TICKS;
            net.put("server_cpu_ms_per_msg", per((server - baseline.get("server_cpu_ticks") * seconds) * tick, messages));
            net.put("server_cpu_ms_per_msg_without_jit", per((server - jit - (baseline.get("server_cpu_ticks")
                    - baseline.get("server_jit_cpu_ticks")) * seconds) * tick, messages));
            net.put("postgres_cpu_ms_per_msg", per((pgAll - baseline.get("postgres_cpu_ticks") * seconds) * tick, messages));
            net.put("redis_commands_per_msg", per(redisCommands - baseline.get("redis_commands") * seconds, messages));
            net.put("postgres_commits_per_msg", per((pgEnd.commits - pgStart.commits) - baseline.get("postgres_commits") * seconds, messages));
            net.put("wal_syncs_per_msg", per((pgEnd.walSyncs - pgStart.walSyncs) - baseline.get("wal_syncs") * seconds, messages));
            f.put("net_of_idle_baseline", net);
        }
        return f;
    }

    /**
     * Reads the instantaneous counters. The probe's own work (a Redis INFO, a scan of /proc) is
     * done before the clocks are read at a phase's start and after them at its end, so the driver's
     * CPU figure leaves it out and the others see only its Redis and /proc reads.
     */
    private Instant instant(boolean atStart) throws IOException {
        Instant s = new Instant();
        if (atStart) {
            redisAndProcesses(s);
            clocks(s);
        } else {
            clocks(s);
            redisAndProcesses(s);
        }
        return s;
    }

    private void clocks(Instant s) throws IOException {
        s.driver = cpuTicks(Files.readString(Path.of("/proc/self/stat")));
        if (serverPid > 0) {
            s.server = cpuTicks(Files.readString(Path.of("/proc", Long.toString(serverPid), "stat")));
            serverThreads(s);
        }
        long[] machine = machine();
        s.machineBusy = machine[0];
        s.machineSteal = machine[1];
        s.nanos = System.nanoTime();
    }

    /**
     * The server's JIT compiler and GC threads' CPU. JIT compilation is a warm-up cost that a
     * short run cannot amortise, so it is reported apart; compiler threads that ended during a
     * phase take their CPU with them, so the JIT figure can only err low.
     */
    private void serverThreads(Instant s) throws IOException {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(serverPid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                long tid = Long.parseLong(task.getFileName().toString());
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    s.serverJit.put(tid, cpuTicks(stat));
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
                    s.serverGc.put(tid, cpuTicks(stat));
                }
            }
        }
    }

    /** CPU ticks the server's JIT compiler threads have used so far (for waiting until warm-up's compiling is done). */
    long serverJitTicks() throws IOException {
        Instant s = new Instant();
        if (serverPid > 0) {
            serverThreads(s);
        }
        return s.serverJit.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long threadDelta(Map<Long, Long> start, Map<Long, Long> stop) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : stop.entrySet()) {
            sum += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    private void redisAndProcesses(Instant s) throws IOException {
        Map<String, String> info = redis.info("stats", "commandstats", "cpu");
        s.redisCommands = Long.parseLong(info.getOrDefault("total_commands_processed", "0"));
        s.redisCpuMicros = Math.round((Double.parseDouble(info.getOrDefault("used_cpu_sys", "0"))
                + Double.parseDouble(info.getOrDefault("used_cpu_user", "0"))) * 1e6);
        info.forEach((key, value) -> {
            if (key.startsWith("cmdstat_")) {
                int calls = value.indexOf("calls=");
                int comma = value.indexOf(',', calls);
                s.redisCalls.put(key.substring(8), Long.parseLong(value.substring(calls + 6, comma < 0 ? value.length() : comma)));
            }
        });
        Map<Long, String[]> postgres = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException e) {
                    continue; // it exited
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.equals("postgres")) {
                    postgres.put(Long.parseLong(process.getFileName().toString()), fields(stat));
                } else if (comm.startsWith("redis-server")) {
                    s.redis += cpuTicks(stat);
                }
            }
        }
        for (Map.Entry<Long, String[]> e : postgres.entrySet()) {
            String[] f = e.getValue();
            long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            s.postgres.put(e.getKey(), own);
            s.postgresAll += own;
            if (!postgres.containsKey(Long.parseLong(f[1]))) {
                // the postmaster: add the CPU of the backends it reaped (psql's, pgbench's, closed pool connections')
                s.postgresAll += Long.parseLong(f[13]) + Long.parseLong(f[14]);
            }
        }
    }

    private PgCounters pgCounters() throws IOException {
        String db = database.replace("'", "''");
        List<String[]> rows = psql.query("select d.xact_commit, d.xact_rollback, d.tup_inserted, d.tup_updated, d.tup_deleted,"
                + " w.wal_sync, w.wal_write, w.wal_records, w.wal_bytes,"
                + " coalesce((select string_agg(pid::text, ' ') from pg_stat_activity where datname = '" + db + "'), ''),"
                + " (select coalesce(string_agg(datname || '=' || (xact_commit + xact_rollback), ' '), '') from pg_stat_database"
                + " where datname is not null and datname not in ('postgres', '" + db + "'))"
                + " from pg_stat_database d, pg_stat_wal w where d.datname = '" + db + "'");
        if (rows.isEmpty()) {
            throw new IOException("no database " + database);
        }
        String[] r = rows.get(0);
        PgCounters c = new PgCounters();
        c.commits = Long.parseLong(r[0]);
        c.rollbacks = Long.parseLong(r[1]);
        c.inserted = Long.parseLong(r[2]);
        c.updated = Long.parseLong(r[3]);
        c.deleted = Long.parseLong(r[4]);
        c.walSyncs = Long.parseLong(r[5]);
        c.walWrites = Long.parseLong(r[6]);
        c.walRecords = Long.parseLong(r[7]);
        c.walBytes = Long.parseLong(r[8]);
        for (String entry : r[10].split(" ")) {
            int eq = entry.lastIndexOf('=');
            if (eq > 0) {
                c.otherDatabasesXacts.put(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)));
            }
        }
        for (String pid : r[9].split(" ")) {
            if (!pid.isBlank()) {
                c.backends.add(Long.parseLong(pid));
            }
        }
        return c;
    }

    /** GateKit's count of SQL statements, or null where the server has no such counter. */
    private Long statements() throws IOException {
        if (admin == null) {
            return null;
        }
        JsonNode metrics = JSON.readTree(admin.get("/metrics", null).orThrow("metrics").body());
        for (String section : new String[] {"counters", "meters", "timers"}) {
            JsonNode metric = metrics.path(section).path(STATEMENTS_METRIC);
            if (metric.has("count")) {
                return metric.get("count").asLong();
            }
        }
        return null;
    }

    /** Busy and steal ticks of the whole machine, from /proc/stat. */
    private static long[] machine() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] f = line.trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(f[i]);
        }
        return new long[] {busy, Long.parseLong(f[8])};
    }

    /** Fields of a /proc/<pid>/stat line after the command name: [0] is state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    private static long cpuTicks(String stat) {
        String[] f = fields(stat);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long now;
        while ((now = System.nanoTime()) < nanos) {
            Thread.sleep(Math.max(1, (nanos - now) / 1_000_000L));
        }
    }

    static Double per(double value, long messages) {
        return messages <= 0 ? null : round(value / messages, 4);
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private static long clockTicks() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            process.waitFor();
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }
}
