package dev.gatekit.core.errors;

import java.util.Optional;
import java.util.function.Predicate;

/** Looks through an exception's causes: what a library or JDBI wrapped is still recognised. */
public final class Causes {

    /** Deeper than any real wrapping; stops a cause chain that loops. */
    private static final int MAX_DEPTH = 32;

    private Causes() {
    }

    /** The first of {@code e} and its causes that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
        return first(e, type, any -> true);
    }

    /** Whether {@code e} or one of its causes is a {@code type} that passes {@code test}. */
    public static <T extends Throwable> boolean any(Throwable e, Class<T> type, Predicate<? super T> test) {
        return first(e, type, test).isPresent();
    }

    private static <T extends Throwable> Optional<T> first(Throwable e, Class<T> type, Predicate<? super T> test) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (type.isInstance(t) && test.test(type.cast(t))) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
