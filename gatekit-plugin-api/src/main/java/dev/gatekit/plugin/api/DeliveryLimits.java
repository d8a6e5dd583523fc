package dev.gatekit.plugin.api;

/**
 * How fast the host may send through one platform configuration, so GateKit stays inside the
 * platform's published limits. The host enforces these across all its instances; operators may
 * lower them per configuration.
 *
 * @param messagesPerSecond  sustained messages per second for one configuration (for example one
 *                           bot token); greater than zero
 * @param perTargetPerSecond sustained messages per second to one target (chat, channel, user);
 *                           greater than zero and at most {@code messagesPerSecond}
 */
public record DeliveryLimits(double messagesPerSecond, double perTargetPerSecond) {

    /** A conservative default for platforms that publish no limits: 10 per second, 1 per target. */
    public static final DeliveryLimits DEFAULT = new DeliveryLimits(10, 1);

    /**
     * Validates the limits.
     *
     * @throws IllegalArgumentException when a rate is not positive or the per-target rate exceeds
     *                                  the overall one
     */
    public DeliveryLimits {
        if (!(messagesPerSecond > 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("messagesPerSecond must be positive: " + messagesPerSecond);
        }
        if (!(perTargetPerSecond > 0) || perTargetPerSecond > messagesPerSecond) {
            throw new IllegalArgumentException(
                    "perTargetPerSecond must be positive and at most messagesPerSecond: " + perTargetPerSecond);
        }
    }
}
