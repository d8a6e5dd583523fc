package dev.gatekit.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** Two instances on one real Redis: each hears every change once, its own included. */
class InvalidationBusTest {

    private final RedissonClient redis = connect();
    private final RedissonClient otherRedis = connect();

    private static RedissonClient connect() {
        Config config = new Config();
        config.useSingleServer().setAddress(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"));
        return Redisson.create(config);
    }

    @AfterEach
    void close() {
        redis.shutdown();
        otherRedis.shutdown();
    }

    @Test
    void anInstanceHearsItsOwnChangeOnceAndTheOthersChangesToo() throws InterruptedException {
        String prefix = "gatekit-test-" + UUID.randomUUID() + ":";
        InvalidationBus here = new InvalidationBus(redis, prefix);
        InvalidationBus there = new InvalidationBus(otherRedis, prefix);
        List<String> heardHere = new CopyOnWriteArrayList<>();
        List<String> heardThere = new CopyOnWriteArrayList<>();
        here.subscribe(InvalidationBus.Topic.CONFIGURATIONS, heardHere::add);
        there.subscribe(InvalidationBus.Topic.CONFIGURATIONS, heardThere::add);

        here.announce(InvalidationBus.Topic.CONFIGURATIONS, "changed-here");
        until(() -> heardThere.contains("changed-here"));
        // Published after the echo of the first: once it is heard here, that echo has come and gone.
        there.announce(InvalidationBus.Topic.CONFIGURATIONS, "changed-there");
        until(() -> heardHere.contains("changed-there"));

        assertThat(heardHere).containsExactly("changed-here", "changed-there");
        assertThat(heardThere).containsExactly("changed-here", "changed-there");
    }

    private static void until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
