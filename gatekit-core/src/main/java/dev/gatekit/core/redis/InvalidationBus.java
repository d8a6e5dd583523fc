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
 * Redis also hands an instance back what it published itself; that echo is dropped, so a listener
 * hears each change once (a held connection is not opened twice, a webhook not registered twice).
 */
public final class InvalidationBus {

    /** What changed; the payload names which one (a key hash, a project id, ...). */
    public enum Topic { API_KEY, PROJECT, CONFIGURATIONS, EVENT_ENDPOINTS }

    private static final Logger LOG = LoggerFactory.getLogger(InvalidationBus.class);
    private static final char SEPARATOR = '\t';
    private static final int MAX_ECHOES_DUE = 10_000;

    private final RTopic channel;
    private final Map<Topic, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
    /** Messages this instance published whose echo from Redis has not come back yet, with how many are due. */
    private final Map<String, Integer> echoesDue = new ConcurrentHashMap<>();

    public InvalidationBus(RedissonClient redisson, String keyPrefix) {
        this.channel = redisson.getTopic(keyPrefix + "invalidate", StringCodec.INSTANCE);
        channel.addListener(String.class, (name, message) -> {
            if (isOwnEcho(message)) {
                return;
            }
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
        String message = topic.name() + SEPARATOR + key;
        if (echoesDue.size() > MAX_ECHOES_DUE) {
            // Echoes that never came back (a subscription lost a while): forget them; at worst a change is heard twice.
            echoesDue.clear();
        }
        echoesDue.merge(message, 1, Integer::sum);
        try {
            channel.publish(message);
        } catch (RuntimeException e) {
            isOwnEcho(message);
            LOG.warn("Could not broadcast a {} change through Redis; other instances see it when their cache expires: {}",
                    topic, e.toString());
        }
    }

    /** Whether a message is the echo of one this instance published (and counts it as come back). */
    private boolean isOwnEcho(String message) {
        boolean[] own = {false};
        echoesDue.computeIfPresent(message, (m, due) -> {
            own[0] = true;
            return due == 1 ? null : due - 1;
        });
        return own[0];
    }

    private void deliverLocally(Topic topic, String key) {
        for (Consumer<String> listener : listeners.getOrDefault(topic, List.of())) {
            listener.accept(key);
        }
    }
}
