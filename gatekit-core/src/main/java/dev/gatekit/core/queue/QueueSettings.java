package dev.gatekit.core.queue;

import java.time.Duration;

/**
 * The delivery side's knobs, from {@code queue:} in config.yml.
 *
 * @param workers        delivery threads in this process (0 in a server that only accepts)
 * @param lease          how long a worker holds a target before the sweeper may give it to another
 * @param sweepInterval  how often the sweeper looks for expired leases and targets Redis lost
 * @param staleAfter     how long a queued target may sit before the sweeper re-adds it to Redis
 */
public record QueueSettings(int workers, RetryPolicy retry, Duration lease, Duration sweepInterval, Duration staleAfter) {
}
