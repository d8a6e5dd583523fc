package dev.gatekit.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Exact percentiles (nearest rank) of recorded nanosecond values, reported in milliseconds. */
final class Stats {

    static final double[] QUANTILES = {0.50, 0.90, 0.99, 0.999};
    static final String[] NAMES = {"p50", "p90", "p99", "p999"};

    private Stats() {
    }

    /** count, p50, p90, p99, p999, max and mean in ms; an empty map for no values. */
    static Map<String, Object> latency(long[] nanos) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("count", nanos.length);
        if (nanos.length == 0) {
            return result;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        for (int q = 0; q < QUANTILES.length; q++) {
            result.put(NAMES[q], ms(sorted[rank(sorted.length, QUANTILES[q])]));
        }
        result.put("max", ms(sorted[sorted.length - 1]));
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        result.put("mean", ms((long) (sum / sorted.length)));
        return result;
    }

    static int rank(int n, double quantile) {
        return Math.max(0, Math.min(n - 1, (int) Math.ceil(quantile * n) - 1));
    }

    static double ms(long nanos) {
        return Costs.round(nanos / 1e6, 3);
    }
}
