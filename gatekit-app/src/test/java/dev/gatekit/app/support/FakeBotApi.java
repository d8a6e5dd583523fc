package dev.gatekit.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Telegram Bot API for end-to-end tests, on the testkit's {@link FakePlatformServer}: it
 * serves {@code POST /bot<token>/<method>} with Telegram's documented JSON and records every call.
 * Out of the box it answers {@code getMe}, {@code setWebhook}, {@code deleteWebhook} and
 * {@code sendMessage} successfully (an unscripted {@code getWebhookInfo} reports no webhook);
 * {@link #enqueue} scripts the next answer to one bot's method, such as a 429 or "chat not found".
 * Give each test its own bot token and read back only that bot's {@link #calls}.
 */
public final class FakeBotApi implements AutoCloseable {

    /** The message id every unscripted {@code sendMessage} answers with. */
    public static final int DEFAULT_MESSAGE_ID = 4711;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("/bot([^/]+)/([A-Za-z]+)");

    private final FakePlatformServer server = FakePlatformServer.start();

    /** One Bot API request: the bot's token, the method (lower case) and its fields, JSON or form-encoded. */
    public record Call(String token, String method, JsonNode fields, Instant receivedAt) {
        public String field(String name) {
            JsonNode value = fields.get(name);
            return value == null ? null : value.isValueNode() ? value.asText() : value.toString();
        }
    }

    public FakeBotApi() {
        server.stub(path(".+", "getMe"), ok("{\"id\":123456,\"is_bot\":true,\"first_name\":\"GateKit\",\"username\":\"gatekit_bot\"}"));
        server.stub(path(".+", "setWebhook"), ok("true"));
        server.stub(path(".+", "deleteWebhook"), ok("true"));
        server.stub(path(".+", "getWebhookInfo"), webhookInfo(""));
        server.stub(path(".+", "sendMessage"), sentMessage(DEFAULT_MESSAGE_ID, 1));
    }

    /** The base URL to give a configuration as {@code config.apiBaseUrl}: scheme, host and port. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Scripts the next answer to one bot's method; one-shot answers win over the defaults. */
    public FakeBotApi enqueue(String token, String method, FakeResponse response) {
        server.enqueue(path(Pattern.quote(token), method), response);
        return this;
    }

    /** Every call one bot made so far, in arrival order. */
    public List<Call> calls(String token) {
        return server.requests().stream().map(FakeBotApi::call).filter(call -> call.token().equals(token)).toList();
    }

    /** The calls of one bot to one method (case-insensitive), in arrival order. */
    public List<Call> calls(String token, String method) {
        String lower = method.toLowerCase(Locale.ROOT);
        return calls(token).stream().filter(call -> call.method().equals(lower)).toList();
    }

    // Telegram's documented answers.

    public static FakeResponse ok(String resultJson) {
        return FakeResponse.json(200, "{\"ok\":true,\"result\":" + resultJson + "}");
    }

    /** A {@code sendMessage} answer: the Message Telegram created in a private chat. */
    public static FakeResponse sentMessage(int messageId, long chatId) {
        return ok("{\"message_id\":" + messageId + ",\"date\":1714557600,\"chat\":{\"id\":" + chatId
                + ",\"type\":\"private\",\"first_name\":\"Ada\"},\"from\":{\"id\":123456,\"is_bot\":true,\"first_name\":\"GateKit\"},"
                + "\"text\":\"x\"}");
    }

    /** A {@code getWebhookInfo} answer naming the registered URL ("" for none). */
    public static FakeResponse webhookInfo(String url) {
        ObjectNode info = JSON.createObjectNode().put("url", url).put("has_custom_certificate", false).put("pending_update_count", 0);
        return ok(info.toString());
    }

    public static FakeResponse error(int code, String description) {
        ObjectNode body = JSON.createObjectNode().put("ok", false).put("error_code", code).put("description", description);
        return FakeResponse.json(code, body.toString());
    }

    /** Telegram's answer to a send into a group that became a supergroup with a new id. */
    public static FakeResponse migratedTo(long newChatId) {
        ObjectNode body = JSON.createObjectNode().put("ok", false).put("error_code", 400)
                .put("description", "Bad Request: group chat was upgraded to a supergroup chat");
        body.putObject("parameters").put("migrate_to_chat_id", newChatId);
        return FakeResponse.json(400, body.toString());
    }

    public static FakeResponse tooManyRequests(int retryAfterSeconds) {
        ObjectNode body = JSON.createObjectNode().put("ok", false).put("error_code", 429)
                .put("description", "Too Many Requests: retry after " + retryAfterSeconds);
        body.putObject("parameters").put("retry_after", retryAfterSeconds);
        return FakeResponse.json(429, body.toString());
    }

    @Override
    public void close() {
        server.close();
    }

    /** The text parts of a multipart form; enough for the methods these tests call (no uploads). */
    private static JsonNode multipartFields(String body, String contentType) {
        Matcher boundary = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType);
        if (!boundary.find()) {
            throw new AssertionError("multipart without boundary: " + contentType);
        }
        ObjectNode fields = JSON.createObjectNode();
        for (String part : body.split(Pattern.quote("--" + boundary.group(1)))) {
            int headerEnd = part.indexOf("\r\n\r\n");
            Matcher name = Pattern.compile("name=\"([^\"]*)\"").matcher(part);
            if (headerEnd < 0 || !name.find() || name.start() > headerEnd) {
                continue;
            }
            String value = part.substring(headerEnd + 4);
            fields.put(name.group(1), value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value);
        }
        return fields;
    }

    private static String path(String tokenPattern, String method) {
        return "/bot" + tokenPattern + "/(?i:" + method + ")";
    }

    private static Call call(RecordedRequest request) {
        Matcher matcher = PATH.matcher(request.path());
        if (!matcher.matches()) {
            throw new AssertionError("not a Bot API path: " + request.path());
        }
        return new Call(matcher.group(1), matcher.group(2).toLowerCase(Locale.ROOT), fields(request), request.receivedAt());
    }

    /** telegrambots posts JSON, or a multipart form for methods that may carry a file ({@code setWebhook}). */
    private static JsonNode fields(RecordedRequest request) {
        String contentType = request.header("Content-Type").orElse("");
        if (request.body().length == 0) {
            return JSON.createObjectNode();
        }
        if (contentType.startsWith("multipart/form-data")) {
            return multipartFields(request.bodyAsString(), contentType);
        }
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException("a Bot API call with a body that is not JSON: " + contentType, e);
        }
    }
}
