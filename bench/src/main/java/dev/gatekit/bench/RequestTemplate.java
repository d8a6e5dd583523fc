package dev.gatekit.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A complete HTTP request, built once, whose numbers are fixed-width digit runs written in place
 * for each request: the message index (so every message's text is unique and the receiver can tell
 * which one arrived) and a target id. A request therefore costs a few byte stores, not a JSON
 * writer, and its Content-Length never changes.
 *
 * <p>Each connection works on its own {@link #copy()}.
 */
final class RequestTemplate {

    /** Width of the message index in a text: {@code gkb-<tag>-<INDEX_DIGITS digits>}. */
    static final int INDEX_DIGITS = 10;
    static final int TARGET_DIGITS = 3;
    static final int TARGETS = 1000;

    private final byte[] bytes;
    /** Per message in the request: where its index digits start, and where its target digits start. */
    private final int[] indexOffsets;
    private final int[] targetOffsets;
    private final int[] keyOffsets;

    private RequestTemplate(byte[] bytes, int[] indexOffsets, int[] targetOffsets, int[] keyOffsets) {
        this.bytes = bytes;
        this.indexOffsets = indexOffsets;
        this.targetOffsets = targetOffsets;
        this.keyOffsets = keyOffsets;
    }

    RequestTemplate copy() {
        return new RequestTemplate(bytes.clone(), indexOffsets, targetOffsets, keyOffsets);
    }

    /** The text of message {@code index} of scenario {@code tag}, as the receiver will see it. */
    static String text(String tag, long index) {
        return "gkb-" + tag + "-" + pad(index, INDEX_DIGITS);
    }

    /** A send request ({@code POST …/messages/send}) for one message. */
    static RequestTemplate send(String hostPort, String slug, String apiKey, String tag) {
        return build(hostPort, "/api/v1/projects/" + slug + "/messages/send", apiKey, tag, 1, false);
    }

    /** A batch request ({@code POST …/messages/batch}) of {@code size} messages. */
    static RequestTemplate batch(String hostPort, String slug, String apiKey, String tag, int size, boolean idempotencyKeys) {
        return build(hostPort, "/api/v1/projects/" + slug + "/messages/batch", apiKey, tag, size, idempotencyKeys);
    }

    /** The request bytes for request number {@code request}: its messages are request × size + 0 … size − 1. */
    byte[] fill(long request) {
        int size = indexOffsets.length;
        for (int m = 0; m < size; m++) {
            long index = request * size + m;
            writeDigits(indexOffsets[m], INDEX_DIGITS, index);
            writeDigits(targetOffsets[m], TARGET_DIGITS, index % TARGETS);
            if (keyOffsets != null) {
                writeDigits(keyOffsets[m], INDEX_DIGITS, index);
            }
        }
        return bytes;
    }

    int messagesPerRequest() {
        return indexOffsets.length;
    }

    private static RequestTemplate build(String hostPort, String path, String apiKey, String tag, int size, boolean keys) {
        String zeros = "0".repeat(INDEX_DIGITS);
        String targetZeros = "0".repeat(TARGET_DIGITS);
        StringBuilder body = new StringBuilder(size * 120);
        List<Integer> index = new ArrayList<>();
        List<Integer> target = new ArrayList<>();
        List<Integer> key = new ArrayList<>();
        boolean batch = path.endsWith("/batch");
        if (batch) {
            body.append("{\"messages\":[");
        }
        for (int m = 0; m < size; m++) {
            if (m > 0) {
                body.append(',');
            }
            body.append("{\"platform\":\"webhook\",\"target\":{\"type\":\"user\",\"id\":\"u");
            target.add(body.length());
            body.append(targetZeros).append("\"},\"text\":\"gkb-").append(tag).append('-');
            index.add(body.length());
            body.append(zeros).append('"');
            if (keys) {
                body.append(",\"idempotencyKey\":\"gkb-").append(tag).append('-');
                key.add(body.length());
                body.append(zeros).append('"');
            }
            body.append('}');
        }
        if (batch) {
            body.append("]}");
        }
        byte[] bodyBytes = body.toString().getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + hostPort + "\r\n"
                + "X-API-Key: " + apiKey + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + bodyBytes.length + "\r\n"
                + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[headBytes.length + bodyBytes.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(bodyBytes, 0, all, headBytes.length, bodyBytes.length);
        int shift = headBytes.length;
        return new RequestTemplate(all, offsets(index, shift), offsets(target, shift), keys ? offsets(key, shift) : null);
    }

    private static int[] offsets(List<Integer> positions, int shift) {
        int[] result = new int[positions.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = positions.get(i) + shift;
        }
        return result;
    }

    private void writeDigits(int offset, int width, long value) {
        long v = value;
        for (int i = offset + width - 1; i >= offset; i--) {
            bytes[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
    }

    private static String pad(long value, int width) {
        String digits = Long.toString(value);
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }
}
