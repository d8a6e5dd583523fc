package dev.gatekit.core.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatekit.core.ratelimit.RedisRateLimiter.Reservation;
import dev.gatekit.core.ratelimit.RedisRateLimiter.Reserved;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rate limits counted in Redis, so that every instance draws on one budget per identity, without a
 * Redis call per request or per send: an instance reserves a slice of the window's allowance and
 * spends it locally, and goes back to Redis only when its slice is spent. A slice not spent by the
 * end of its window is simply lost, so no instance ever lets more through than the limit.
 *
 * <p>A slice is a twentieth of the limit, at least one and at most a thousand: a low limit (five a
 * minute) is still counted one event at a time, exactly; a high one costs a round trip per slice.
 * Many identities short of budget at once are refilled in one round trip ({@link #takeAll}).
 */
public final class RateBudgets {

    /** At most {@code max} events per {@code window}. */
    public record Limit(int max, Duration window) {
    }

    /** {@code count} events for one identity. */
    public record Want(String identity, Limit limit, int count) {
    }

    /**
     * What may go now.
     *
     * @param granted     how many of the wanted events may happen now (0 to the count wanted)
     * @param resetMillis when the window ends and the budget starts again
     * @param remaining   about how many more the window allows, across every instance
     */
    public record Grant(int granted, long resetMillis, long remaining) {

        public RateLimitDecision asDecision(Limit limit) {
            return new RateLimitDecision(granted > 0, limit.max(), remaining, (resetMillis + 999) / 1000, resetMillis);
        }
    }

    private static final int SLICES_PER_WINDOW = 20;
    private static final int LARGEST_SLICE = 1_000;

    /** One identity's slice on this instance; guarded by itself. */
    private static final class Budget {
        private int left;
        private long windowEndsAt;
        /** The window's count across instances after this instance's last reservation. */
        private long used;
        /** Redis said the window is spent: no point asking again before this time. */
        private long spentUntil;
    }

    private final RedisRateLimiter redis;
    private final Clock clock;
    private final Cache<String, Budget> budgets = Caffeine.newBuilder()
            .maximumSize(200_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    public RateBudgets(RedisRateLimiter redis, Clock clock) {
        this.redis = redis;
        this.clock = clock;
    }

    public Grant take(String identity, Limit limit, int count) {
        return takeAll(List.of(new Want(identity, limit, count))).get(0);
    }

    /** Grants each want from its local slice, refilling in one Redis call every slice that falls short. */
    public List<Grant> takeAll(List<Want> wants) {
        long now = clock.millis();
        Grant[] grants = new Grant[wants.size()];
        List<Integer> refills = new ArrayList<>();
        List<Reservation> reservations = new ArrayList<>();
        for (int i = 0; i < wants.size(); i++) {
            Want want = wants.get(i);
            Budget budget = budgets.get(want.identity(), k -> new Budget());
            synchronized (budget) {
                if (budget.windowEndsAt <= now) {
                    budget.left = 0;
                }
                if (budget.left >= want.count()) {
                    budget.left -= want.count();
                    grants[i] = new Grant(want.count(), budget.windowEndsAt - now, remaining(budget, want.limit()));
                } else if (budget.spentUntil > now) {
                    int granted = budget.left;
                    budget.left = 0;
                    grants[i] = new Grant(granted, budget.spentUntil - now, 0);
                } else {
                    refills.add(i);
                    reservations.add(new Reservation(want.identity(), want.limit().max(), want.limit().window(),
                            Math.max(want.count() - budget.left, slice(want.limit().max()))));
                }
            }
        }
        if (!reservations.isEmpty()) {
            List<Reserved> reserved = redis.reserve(reservations);
            for (int r = 0; r < reserved.size(); r++) {
                int i = refills.get(r);
                grants[i] = settle(wants.get(i), reserved.get(r), now);
            }
        }
        return Arrays.asList(grants);
    }

    private Grant settle(Want want, Reserved reserved, long now) {
        Budget budget = budgets.get(want.identity(), k -> new Budget());
        synchronized (budget) {
            budget.windowEndsAt = now + reserved.resetMillis();
            budget.used = reserved.used();
            int available = budget.left + reserved.granted();
            int granted = Math.min(want.count(), available);
            budget.left = available - granted;
            if (granted < want.count()) {
                budget.spentUntil = budget.windowEndsAt;
            }
            return new Grant(granted, reserved.resetMillis(), remaining(budget, want.limit()));
        }
    }

    private static long remaining(Budget budget, Limit limit) {
        return Math.max(0, limit.max() - budget.used) + budget.left;
    }

    private static int slice(int max) {
        return Math.max(1, Math.min(LARGEST_SLICE, max / SLICES_PER_WINDOW));
    }
}
