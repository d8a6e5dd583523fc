package dev.gatekit.core.ratelimit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A stricter limit for one resource method on top of the API-wide one, counted per caller (the
 * original throttled key creation to 5 a minute and rolling to 3). The value names the limit
 * among those configured ({@code rateLimit.throttles}); an unnamed one is not applied.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Throttle {

    /** The throttle's name, such as {@code key-create}; its count is shared by the methods naming it. */
    String value();
}
