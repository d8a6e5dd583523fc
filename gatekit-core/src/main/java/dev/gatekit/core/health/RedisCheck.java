package dev.gatekit.core.health;

import org.redisson.api.RedissonClient;

public class RedisCheck implements DependencyCheck {

    private final RedissonClient redisson;
    private final String keyPrefix;

    public RedisCheck(RedissonClient redisson, String keyPrefix) {
        this.redisson = redisson;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public void check() {
        redisson.getBucket(keyPrefix + "health").isExists();
    }
}
