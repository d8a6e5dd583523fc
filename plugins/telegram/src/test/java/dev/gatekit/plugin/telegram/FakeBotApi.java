package dev.gatekit.plugin.telegram;

import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import java.time.Duration;
import java.util.List;

/** Telegram's documented answers, for scripting the testkit's fake server as a Bot API. */
final class FakeBotApi {

    static final Duration WAIT = Duration.ofSeconds(10);

    private FakeBotApi() {
    }

    static String path(String method) {
        return "/bot[^/]+/(?i:" + method + ")";
    }

    static FakeResponse ok(String resultJson) {
        return FakeResponse.json(200, "{\"ok\":true,\"result\":" + resultJson + "}");
    }

    static FakeResponse okTrue() {
        return ok("true");
    }

    static String message(int messageId, String chatId) {
        String chat = chatId.startsWith("@") ? "{\"id\":-1001,\"type\":\"channel\",\"username\":\"" + chatId.substring(1) + "\"}"
                : "{\"id\":" + chatId + ",\"type\":\"private\"}";
        return "{\"message_id\":" + messageId + ",\"date\":1700000000,\"chat\":" + chat + ",\"text\":\"x\"}";
    }

    static FakeResponse sent(int messageId) {
        return ok(message(messageId, "12345"));
    }

    static FakeResponse album(int... messageIds) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < messageIds.length; i++) {
            json.append(i == 0 ? "" : ",").append(message(messageIds[i], "12345"));
        }
        return ok(json.append(']').toString());
    }

    static FakeResponse error(int code, String description) {
        return FakeResponse.json(code, "{\"ok\":false,\"error_code\":" + code + ",\"description\":\"" + description + "\"}");
    }

    static FakeResponse rateLimited(int retryAfterSeconds) {
        return FakeResponse.json(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after "
                + retryAfterSeconds + "\",\"parameters\":{\"retry_after\":" + retryAfterSeconds + "}}");
    }

    static FakeResponse migrated(long newChatId) {
        return FakeResponse.json(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: group chat was "
                + "upgraded to a supergroup chat\",\"parameters\":{\"migrate_to_chat_id\":" + newChatId + "}}");
    }

    static void stubWebhook(FakePlatformServer server) {
        server.stub(path("setWebhook"), okTrue());
    }

    /** Every Bot API call so far, except webhook registration. */
    static List<BotApiCall> sends(FakePlatformServer server) {
        return server.requests().stream().map(BotApiCall::of).filter(call -> !call.method().equals("setwebhook")).toList();
    }

    static BotApiCall take(FakePlatformServer server) {
        RecordedRequest request = server.takeRequest(WAIT);
        return BotApiCall.of(request);
    }
}
