package dev.gatekit.core.usage;

import java.util.Locale;

/** What usage counts. Message metrics count one per target (one message to one platform). */
public enum UsageMetric {
    /** A target of an accepted send request. */
    ACCEPTED,
    /** A target that reached {@code delivered}. */
    DELIVERED,
    /** A target that ended {@code failed}. */
    FAILED,
    /** An inbound message or interaction stored from a platform (each platform event once). */
    RECEIVED,
    /** An API request made with a credential, per key. */
    REQUESTS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UsageMetric parse(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
