package dev.gatekit.plugin.whatsapp;

import dev.gatekit.plugin.api.DeliveryException;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * The three Graph API calls the plugin makes, over the host's {@link HttpClient}, without
 * blocking: send a message, upload media, read the phone number. A call completes with what the
 * plugin needs from the answer, or exceptionally with a {@link DeliveryException} from
 * {@link WhatsAppFailures}.
 */
final class GraphApi {

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Uploads carry up to 100 MB (documents), so they get longer. */
    static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(120);

    /** What sending a message returned: the message's {@code wamid} and the recipient's WhatsApp id. */
    record Sent(String messageId, String waId) {
    }

    private final WhatsAppSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final String userAgent;

    GraphApi(WhatsAppSettings settings, HttpClient http, Clock clock, String pluginVersion) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.userAgent = "GateKit-WhatsApp/" + pluginVersion;
    }

    /** {@code POST /{version}/{phone-number-id}/messages}. */
    CompletableFuture<Sent> sendMessage(Map<String, Object> message) {
        HttpRequest request = authorized(settings.phoneNumberUri("/messages"), CALL_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(message)))
                .build();
        return call("messages", request, answer -> Json.objects(answer, "messages").stream().findFirst()
                .flatMap(m -> Json.string(m, "id"))
                .map(id -> new Sent(id, Json.objects(answer, "contacts").stream().findFirst().flatMap(c -> Json.string(c, "wa_id")).orElse(null)))
                .orElse(null));
    }

    /** {@code POST /{version}/{phone-number-id}/media} as multipart/form-data; completes with the media id. */
    CompletableFuture<String> uploadMedia(byte[] data, String mimeType, String filename) {
        String boundary = "gatekit-" + UUID.randomUUID();
        HttpRequest request = authorized(settings.phoneNumberUri("/media"), UPLOAD_TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, data, mimeType, filename)))
                .build();
        return call("media", request, answer -> Json.string(answer, "id").orElse(null));
    }

    /** {@code GET /{version}/{phone-number-id}?fields=display_phone_number,verified_name}. */
    CompletableFuture<Map<String, Object>> readPhoneNumber() {
        HttpRequest request = authorized(settings.phoneNumberUri("?fields=display_phone_number,verified_name"), CALL_TIMEOUT)
                .GET().build();
        return call("phone number", request, Function.identity());
    }

    private HttpRequest.Builder authorized(java.net.URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + settings.accessToken())
                .header("User-Agent", userAgent);
    }

    /**
     * Makes a call and reads its answer.
     *
     * @param read what to take from a successful answer; null when the answer lacks it (no message id, say)
     */
    private <T> CompletableFuture<T> call(String name, HttpRequest request, Function<Map<String, Object>, T> read) {
        CompletableFuture<HttpResponse<byte[]>> sent;
        try {
            sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(WhatsAppFailures.unreachable(name, e));
        }
        return sent.handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                throw new CompletionException(WhatsAppFailures.unreachable(name, cause));
            }
            if (response.statusCode() / 100 != 2) {
                throw new CompletionException(WhatsAppFailures.fromResponse(name, response.statusCode(),
                        response.headers().firstValue("Retry-After").orElse(null), response.body(), clock.instant()));
            }
            Map<String, Object> answer = Json.object(response.body()).orElseThrow(() -> new CompletionException(
                    WhatsAppFailures.unreadableAnswer(name, response.statusCode(), "with a body that is not a JSON object")));
            T value = read.apply(answer);
            if (value == null) {
                throw new CompletionException(WhatsAppFailures.unreadableAnswer(name, response.statusCode(), "without the id it must carry"));
            }
            return value;
        });
    }

    private static byte[] multipart(String boundary, byte[] data, String mimeType, String filename) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(data.length + 512);
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"type\"\r\n\r\n" + mimeType + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"" + quotable(filename) + "\"\r\n"
                + "Content-Type: " + mimeType + "\r\n\r\n";
        body.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(data);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** A file name cannot break out of its quoted header parameter. */
    private static String quotable(String filename) {
        return filename.replaceAll("[\"\\\\\r\n]", "_");
    }
}
