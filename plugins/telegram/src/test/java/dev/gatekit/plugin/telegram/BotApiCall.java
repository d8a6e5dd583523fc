package dev.gatekit.plugin.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekit.plugin.testkit.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Bot API request as the fake server received it: {@code POST /bot<token>/<method>} with a JSON
 * body or a multipart form, read back field by field.
 */
record BotApiCall(String token, String method, Map<String, String> fields, Map<String, Upload> uploads) {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/bot([^/]+)/([A-Za-z]+)");

    /** A multipart part that carried a file. */
    record Upload(String filename, byte[] data) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Upload that && filename.equals(that.filename) && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return filename.hashCode();
        }
    }

    static BotApiCall of(RecordedRequest request) {
        Matcher matcher = PATH.matcher(request.path());
        if (!matcher.matches()) {
            throw new AssertionError("not a Bot API path: " + request.path());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, Upload> uploads = new LinkedHashMap<>();
        String contentType = request.header("Content-Type").orElse("");
        if (contentType.startsWith("multipart/form-data")) {
            multipart(request.body(), contentType, fields, uploads);
        } else if (request.body().length > 0) {
            try {
                JsonNode json = JSON.readTree(request.body());
                json.fields().forEachRemaining(entry -> fields.put(entry.getKey(),
                        entry.getValue().isValueNode() ? entry.getValue().asText() : entry.getValue().toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new BotApiCall(matcher.group(1), matcher.group(2).toLowerCase(java.util.Locale.ROOT), fields, uploads);
    }

    String field(String name) {
        return fields.get(name);
    }

    JsonNode json(String name) {
        try {
            return JSON.readTree(fields.get(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void multipart(byte[] body, String contentType, Map<String, String> fields, Map<String, Upload> uploads) {
        Matcher boundaryMatcher = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
        if (!boundaryMatcher.find()) {
            throw new AssertionError("multipart without boundary: " + contentType);
        }
        // ISO-8859-1 maps bytes 1:1 to chars, so binary parts survive the round trip.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + boundaryMatcher.group(1);
        for (String part : text.split(Pattern.quote(delimiter))) {
            if (part.isEmpty() || part.startsWith("--")) {
                continue;
            }
            String trimmed = part.startsWith("\r\n") ? part.substring(2) : part;
            int headerEnd = trimmed.indexOf("\r\n\r\n");
            String headers = trimmed.substring(0, headerEnd);
            String content = trimmed.substring(headerEnd + 4);
            if (content.endsWith("\r\n")) {
                content = content.substring(0, content.length() - 2);
            }
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(headers);
            if (!name.find()) {
                continue;
            }
            Matcher filename = Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
            byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
            if (filename.find()) {
                uploads.put(name.group(1), new Upload(filename.group(1), bytes));
            } else {
                fields.put(name.group(1), new String(bytes, StandardCharsets.UTF_8));
            }
        }
    }
}
