package dev.gatekit.core.queue;

import java.time.Duration;

/**
 * The delivery side's knobs, from {@code queue:} in config.yml.
 *
 * @param workers                 threads for plugins that send blocking ({@code send}); 0 turns delivery off in this
 *                                process (a server that only accepts)
 * @param lease                   how long a process holds a target before the sweeper may give it to another
 * @param sweepInterval           how often the sweeper looks for expired leases, silent instances and a flushed Redis
 * @param instanceSilence         how long an instance may miss its heartbeat before the others put back what it held
 * @param sendTimeout             how long an asynchronous send may take before it counts as a retryable failure
 * @param maxInFlight             sends this process has started and not yet recorded, in all
 * @param maxInFlightPerConfiguration sends in flight through one platform configuration (a slow endpoint fills only its own)
 * @param maxInFlightPerProject   sends in flight for one project, across its configurations
 * @param acceptWriters           threads committing accepted messages (each commit carries every request waiting)
 */
public record QueueSettings(int workers, RetryPolicy retry, Duration lease, Duration sweepInterval, Duration instanceSilence,
                            Duration sendTimeout, int maxInFlight, int maxInFlightPerConfiguration, int maxInFlightPerProject,
                            int acceptWriters) {

    /** Blocking sends one configuration may have in flight: a quarter of the threads, so a hung endpoint cannot take them all. */
    public int blockingPerConfiguration() {
        return Math.max(1, Math.min(maxInFlightPerConfiguration, workers / 4));
    }
}
