package dev.gatekit.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's parameters: {@code --name value} or {@code --name=value} on the command line, else
 * the environment variable {@code BENCH_NAME} (upper case, dashes as underscores), else the default.
 */
final class Options {

    static final List<String> ALL_SCENARIOS = List.of("floors", "send", "send-rate", "batch", "deliver", "mixed", "isolation");

    /** Every option with its default and meaning, in the order --help prints them. */
    private static final String[][] SPEC = {
            {"scenarios", String.join(",", ALL_SCENARIOS), "comma-separated: " + String.join(", ", ALL_SCENARIOS) + " (or all)"},
            {"messages", "2000", "messages per scenario (send, send-rate, batch, deliver, mixed)"},
            {"rate", "1000", "offered rate, messages/s, of send-rate"},
            {"mixed-rate", "", "offered accept rate, messages/s, of mixed (default: --rate)"},
            {"duration", "", "seconds; if set, send-rate and mixed send rate x duration messages instead of --messages"},
            {"connections", "16", "HTTP connections of the driver; also the floors' concurrency"},
            {"batch-size", "100", "messages per batch request (1..1000)"},
            {"batch-idempotency", "false", "give every batch item an idempotencyKey"},
            {"warmup", "2000", "messages sent (and batched, if batch is chosen) and delivered before measuring; 0 for none"},
            {"warmup-max-s", "60", "after the warm-up messages, the longest wait for the server's JIT compilers to go quiet"},
            {"slow-ms", "6000", "how long the isolation scenario's slow endpoint takes per call"},
            {"isolation-queued", "50", "messages queued for the slow project before the other project's message"},
            {"isolation-probes", "1", "messages of the other project, sent 200 ms apart"},
            {"settle-ms", "11000", "wait after a phase before reading Postgres's statistics (Postgres 15 publishes an idle backend's after 10 s)"},
            {"tail-ms", "1000", "wait after a phase before reading CPU, Redis and the statement counter"},
            {"idle-seconds", "3", "length of the idle-baseline window (the background the other figures sit on); 0 to skip"},
            {"floor-seconds", "5", "pgbench duration"},
            {"redis-requests", "50000", "requests per redis-benchmark command"},
            {"delivery-timeout-s", "300", "longest wait for deliveries"},
            {"grace-ms", "60000", "requests still unsent this long after their schedule ends are given up (not_sent)"},
            {"profile", "", "async-profiler event (cpu, itimer, ctimer, wall, alloc) to record the server during each measured phase"},
            {"profile-format", "html", "the profile's file type: html (flame graph), collapsed (one stack per line, for grep and diffs), jfr"},
            {"profiler-lib", "/tmp/ap/linux-x64/libasyncProfiler.so", "libasyncProfiler.so to load into the server with jcmd"},
            {"api", "http://127.0.0.1:3190", "GateKit's API base URL"},
            {"admin", "http://127.0.0.1:3191", "GateKit's admin base URL (its token from GATEKIT_ADMIN_TOKEN)"},
            {"server-pid", "0", "the server's process id (for /proc); 0 skips the server's CPU and RSS"},
            {"database", "", "the server's database (for pg_stat_database)"},
            {"redis-prefix", "", "the server's Redis key prefix; the Redis floor writes under it"},
            {"pg-host", "127.0.0.1", "Postgres host"},
            {"pg-port", "5432", "Postgres port"},
            {"pg-user", "postgres", "Postgres user (trust authentication)"},
            {"redis-host", "127.0.0.1", "Redis host"},
            {"redis-port", "6379", "Redis port"},
            {"results-dir", "bench/results", "where the JSON result goes"},
            {"commit", "", "the code's version, recorded in the result"},
            {"server-settings", "", "how the server was started (workers, heap, JVM flags), recorded in the result"},
            {"note", "", "free text recorded in the result (what this run is about)"},
    };

    private final Map<String, String> values = new LinkedHashMap<>();

    static Options parse(String[] args) {
        Options options = new Options();
        Map<String, String> given = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(usage());
                System.exit(0);
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + usage());
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < rest.size()) {
                value = rest.get(++i);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            given.put(name, value);
        }
        for (String[] spec : SPEC) {
            String env = System.getenv("BENCH_" + spec[0].toUpperCase(Locale.ROOT).replace('-', '_'));
            options.values.put(spec[0], given.containsKey(spec[0]) ? given.remove(spec[0]) : env != null && !env.isEmpty() ? env : spec[1]);
        }
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + given.keySet() + "\n" + usage());
        }
        return options;
    }

    static String usage() {
        StringBuilder usage = new StringBuilder("Options (also from BENCH_<NAME> environment variables):\n");
        for (String[] spec : SPEC) {
            usage.append(String.format("  --%-20s %s%s%n", spec[0], spec[2], spec[1].isEmpty() ? "" : " [" + spec[1] + "]"));
        }
        return usage.toString();
    }

    String string(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no option " + name);
        }
        return values.get(name);
    }

    int integer(String name) {
        return Integer.parseInt(string(name).trim());
    }

    long longValue(String name) {
        return Long.parseLong(string(name).trim());
    }

    double decimal(String name) {
        return Double.parseDouble(string(name).trim());
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(string(name).trim());
    }

    boolean isSet(String name) {
        return !string(name).isBlank();
    }

    List<String> scenarios() {
        String value = string("scenarios").trim();
        if (value.equals("all")) {
            return ALL_SCENARIOS;
        }
        List<String> chosen = new ArrayList<>();
        for (String s : value.split(",")) {
            String name = s.trim();
            if (!ALL_SCENARIOS.contains(name)) {
                throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + ALL_SCENARIOS);
            }
            chosen.add(name);
        }
        return chosen;
    }

    Map<String, String> all() {
        return values;
    }
}
