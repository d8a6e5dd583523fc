package dev.gatekit.core.redis;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every running instance that something it may hold in a cache changed (a key revoked, a
 * project renamed, a platform configuration updated), so each drops its copy at once instead of
 * serving it until the entry expires. One Redis channel carries every topic.
 *
 * <p>A change is always applied locally first; when Redis cannot carry it, other instances see it
 * when their entry expires, which is why every cache that listens here also has a short lifetime.
 */
public final class InvalidationBus {

    /** What changed; the payload names which one (a key hash, a project id, ...). */
    public enum Topic { API_KEY, PROJECT, CONFIGURATIONS, EVENT_ENDPOINTS }

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationBus.class);
    private static final char SEPARATOR = '\t';

    private final RTopic channel;
    private final Map<Topic, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();

    public InvalidationBus(RedissonClient redisson, String keyPrefix) {
        this.channel = redisson.getTopic(keyPrefix + "invalidate", StringCodec.INSTANCE);
        channel.addListener(String.class, (name, message) -> {
            int separator = message.indexOf(SEPARATOR);
            if (separator > 0) {
                deliverLocally(Topic.valueOf(message.substring(0, separator)), message.substring(separator + 1));
            }
        });
    }

    public void subscribe(Topic topic, Consumer<String> onChange) {
        listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(onChange);
    }

    /** Applies the change here at once, then tells the other instances. */
    public void announce(Topic topic, String key) {
        deliverLocally(topic, key);
        try {
            channel.publish(topic.name() + SEPARATOR + key);
        } catch (RuntimeException e) {
            LOG.warn("Could not broadcast a {} change through Redis; other instances see it when their cache expires: {}",
                    topic, e.toString());
        }
    }

    private void deliverLocally(Topic topic, String key) {
        for (Consumer<String> listener : listeners.getOrDefault(topic, List.of())) {
            listener.accept(key);
        }
    }
}
