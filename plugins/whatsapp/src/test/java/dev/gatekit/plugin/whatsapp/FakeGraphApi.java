package dev.gatekit.plugin.whatsapp;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * The Cloud API's documented paths and answers, for scripting the testkit's fake server as the
 * Graph API: {@code /{version}/{phone-number-id}/messages}, {@code .../media}, reading the phone
 * number, and Meta's error object.
 */
final class FakeGraphApi {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String VERSION = "v26.0";
    static final String PHONE_NUMBER_ID = "106540352242922";
    static final String ACCESS_TOKEN = "EAAJB3xTestAccessToken0000";
    static final String APP_SECRET = "a4c1e2b3d4f5a6b7c8d9e0f1a2b3c4d5";
    static final String VERIFY_TOKEN = "verify-me-7f3a";
    static final String MESSAGES = "/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages";
    static final String MEDIA = "/" + VERSION + "/" + PHONE_NUMBER_ID + "/media";
    static final String PHONE_NUMBER = "/" + VERSION + "/" + PHONE_NUMBER_ID;

    private FakeGraphApi() {
    }

    static PlatformConfiguration configuration(Map<String, String> extraSettings) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("phoneNumberId", PHONE_NUMBER_ID));
        settings.putAll(extraSettings);
        return new PlatformConfiguration("cfg-1", "proj-1",
                Map.of("accessToken", ACCESS_TOKEN, "appSecret", APP_SECRET, "verifyToken", VERIFY_TOKEN), settings, false);
    }

    /** {@code 200} as the messages endpoint answers: the recipient's WhatsApp id and the new message's id. */
    static FakeResponse sent(String wamid, String waId) {
        return FakeResponse.json(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+" + waId + "\",\"wa_id\":\""
                + waId + "\"}],\"messages\":[{\"id\":\"" + wamid + "\"}]}");
    }

    static FakeResponse uploaded(String mediaId) {
        return FakeResponse.json(200, "{\"id\":\"" + mediaId + "\"}");
    }

    static FakeResponse phoneNumber() {
        return FakeResponse.json(200, "{\"verified_name\":\"GateKit Test\",\"display_phone_number\":\"+1 555-010-0000\",\"id\":\""
                + PHONE_NUMBER_ID + "\"}");
    }

    /** Meta's error object, as the Graph API answers a failed call. */
    static FakeResponse error(int status, int code, String message) {
        return error(status, code, null, message, null);
    }

    static FakeResponse error(int status, int code, Integer subcode, String message, String details) {
        return FakeResponse.json(status, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"OAuthException\",\"code\":" + code
                + (subcode == null ? "" : ",\"error_subcode\":" + subcode)
                + (details == null ? "" : ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"" + details + "\"}")
                + ",\"fbtrace_id\":\"AbCdEfGhIjK\"}}");
    }

    static Map<String, Object> json(RecordedRequest request) {
        return json(request.bodyAsString());
    }

    static Map<String, Object> json(String text) {
        try {
            return JSON.std.mapFrom(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
