package dev.gatekit.core.keys;

import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every running instance that a key changed (revoked, rolled, its project deleted), so each
 * drops its cached copy at once instead of honouring it until the cache entry expires.
 */
public class KeyRevocationBus {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRevocationBus.class);

    private final RTopic topic;
    private final Consumer<String> forgetLocally;

    public KeyRevocationBus(RedissonClient redisson, String keyPrefix, Consumer<String> forgetLocally) {
        this.topic = redisson.getTopic(keyPrefix + "keys:revoked", StringCodec.INSTANCE);
        this.forgetLocally = forgetLocally;
        topic.addListener(String.class, (channel, keyHash) -> forgetLocally.accept(keyHash));
    }

    public void announce(String keyHash) {
        forgetLocally.accept(keyHash);
        try {
            topic.publish(keyHash);
        } catch (RuntimeException e) {
            // Other instances then see the change when their cache entry expires (seconds, not minutes).
            LOG.warn("Could not broadcast a key revocation through Redis: {}", e.toString());
        }
    }
}
