package dev.gatekit.plugin.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a {@code multipart/form-data} body as Discord's file uploads are sent: {@code payload_json} and {@code files[n]}. */
final class Multipart {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");
    private static final Pattern CONTENT_TYPE = Pattern.compile("(?im)^content-type:\\s*(\\S+)");

    private Multipart() {
    }

    /** Returns the payload_json and adds each file part to {@code files}. */
    static JsonNode parse(byte[] body, String contentType, List<FakeDiscord.Upload> files) {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            throw new IllegalArgumentException("multipart without a boundary: " + contentType);
        }
        byte[] delimiter = ("--" + boundary.group(1)).getBytes(StandardCharsets.US_ASCII);
        JsonNode payload = FakeDiscord.JSON.createObjectNode();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            int next = indexOf(body, delimiter, start);
            if (next < 0) {
                break;
            }
            byte[] part = Arrays.copyOfRange(body, start + 2, next - 2); // after CRLF, before CRLF
            int headerEnd = indexOf(part, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            String headers = new String(part, 0, headerEnd, StandardCharsets.UTF_8);
            byte[] content = Arrays.copyOfRange(part, headerEnd + 4, part.length);
            Matcher name = NAME.matcher(headers);
            name.find();
            Matcher filename = FILENAME.matcher(headers);
            if (filename.find()) {
                Matcher type = CONTENT_TYPE.matcher(headers);
                files.add(new FakeDiscord.Upload(name.group(1), filename.group(1), type.find() ? type.group(1) : null, content));
            } else if (name.group(1).equals("payload_json")) {
                try {
                    payload = FakeDiscord.JSON.readTree(content);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            at = next;
        }
        return payload;
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
