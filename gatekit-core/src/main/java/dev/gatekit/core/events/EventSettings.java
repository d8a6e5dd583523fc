package dev.gatekit.core.events;

import dev.gatekit.core.queue.RetryPolicy;
import java.time.Duration;

/**
 * Event delivery's knobs, from {@code events:} in config.yml.
 *
 * @param workers               sending threads in this process (0 leaves sending to other processes)
 * @param retry                 backoff between attempts and how many attempts before a delivery is {@code failed}
 * @param lease                 how long a sender holds a delivery before the sweeper may give it to another
 * @param timeout               how long an endpoint has to answer
 * @param sweepInterval         how often expired leases and deliveries Redis lost are put back
 * @param staleAfter            how long a due delivery may wait before the sweeper re-adds it to Redis
 * @param allowPrivateEndpoints whether endpoints may point at loopback or private addresses
 */
public record EventSettings(int workers, RetryPolicy retry, Duration lease, Duration timeout, Duration sweepInterval,
                            Duration staleAfter, boolean allowPrivateEndpoints) {

    /** The configuration setting that lets endpoints point at private addresses. */
    public static final String ALLOW_PRIVATE_SETTING = "GATEKIT_EVENTS_ALLOW_PRIVATE=true (events.allowPrivateEndpoints in config.yml)";
}
