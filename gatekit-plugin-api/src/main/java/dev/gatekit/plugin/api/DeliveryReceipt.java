package dev.gatekit.plugin.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a successful {@link PlatformClient#send} created.
 *
 * @param platformMessageIds the platform's ids of the messages created, in order (a long text or
 *                           several attachments may become several messages); null means none
 * @param details            extra facts worth recording, such as a channel id the platform
 *                           resolved; never credentials; null means none
 */
public record DeliveryReceipt(List<String> platformMessageIds, Map<String, String> details) {

    /** Copies the lists. */
    public DeliveryReceipt {
        platformMessageIds = Values.list(platformMessageIds, "platformMessageIds");
        details = Values.map(details);
    }

    /**
     * A receipt for one platform message.
     *
     * @param platformMessageId the platform's id
     * @return the receipt
     */
    public static DeliveryReceipt of(String platformMessageId) {
        return new DeliveryReceipt(List.of(platformMessageId), Map.of());
    }

    /**
     * The first platform message id.
     *
     * @return the id, or empty when the platform gave none
     */
    public Optional<String> primaryId() {
        return platformMessageIds.stream().findFirst();
    }
}
