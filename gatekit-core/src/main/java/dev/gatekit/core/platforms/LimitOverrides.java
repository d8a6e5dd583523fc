package dev.gatekit.core.platforms;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekit.plugin.api.DeliveryLimits;

/**
 * An operator's lower delivery limits for one configuration; a null field keeps the platform's default.
 * In requests and responses: {@code "limits":{"messagesPerSecond":5,"perTargetPerSecond":1}}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LimitOverrides(Double messagesPerSecond, Double perTargetPerSecond) {

    public static final LimitOverrides NONE = new LimitOverrides(null, null);

    /** The limits delivery should obey: these overrides over the platform's defaults. */
    public DeliveryLimits over(DeliveryLimits defaults) {
        double overall = messagesPerSecond != null ? messagesPerSecond : defaults.messagesPerSecond();
        double perTarget = perTargetPerSecond != null ? perTargetPerSecond : Math.min(defaults.perTargetPerSecond(), overall);
        return new DeliveryLimits(overall, perTarget);
    }
}
