package dev.gatekit.core.messages;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.JsonErrorMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST …/messages/batch}: {@code {"messages":[<a send request with an optional "idempotencyKey">, …]}}.
 * Each item is read on its own, so one that is not a valid send request fails alone.
 */
public final class BatchSendRequest {

    /**
     * One message of the batch: its request, or why it could not be read.
     *
     * @param idempotencyKey plays the part of the {@code Idempotency-Key} header of a single send
     */
    public record Item(SendMessageRequest request, String idempotencyKey, ApiException unreadable) {
    }

    private BatchSendRequest() {
    }

    /** Reads the body with the API's JSON settings (unknown fields refused, as on a single send). */
    public static List<Item> parse(JsonNode body, ObjectMapper mapper) {
        if (body == null || !body.isObject() || !body.path("messages").isArray()) {
            throw ApiException.invalid("messages", "required: an array of send requests");
        }
        if (body.size() != 1) {
            throw ApiException.invalid("body", "takes only 'messages'");
        }
        List<Item> items = new ArrayList<>();
        int index = 0;
        for (JsonNode node : body.get("messages")) {
            items.add(item(node, index++, mapper));
        }
        return items;
    }

    private static Item item(JsonNode node, int index, ObjectMapper mapper) {
        if (!node.isObject()) {
            return new Item(null, null, ApiException.invalid("messages[" + index + "]", "must be an object"));
        }
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        JsonNode key = fields.remove("idempotencyKey");
        if (key != null && !key.isNull() && !key.isTextual()) {
            return new Item(null, null, ApiException.invalid("messages[" + index + "].idempotencyKey", "must be a string"));
        }
        try {
            return new Item(mapper.treeToValue(fields, SendMessageRequest.class), key == null || key.isNull() ? null : key.asText(), null);
        } catch (JsonProcessingException e) {
            return new Item(null, null, JsonErrorMapper.asApiException(e));
        } catch (IllegalArgumentException e) {
            return new Item(null, null, ApiException.invalid("messages[" + index + "]", "not a send request"));
        }
    }
}
