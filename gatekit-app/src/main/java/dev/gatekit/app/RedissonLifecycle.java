package dev.gatekit.app;

import io.dropwizard.lifecycle.Managed;
import org.redisson.api.RedissonClient;

/** Closes the one shared Redisson client when the server stops. */
final class RedissonLifecycle implements Managed {

    private final RedissonClient redisson;

    RedissonLifecycle(RedissonClient redisson) {
        this.redisson = redisson;
    }

    @Override
    public void stop() {
        redisson.shutdown();
    }
}
