package dev.gatekit.plugin.slack;

import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import dev.gatekit.plugin.testkit.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Slack's documented Web API answers, for scripting the testkit's fake server as {@code /api/<method>}. */
final class FakeSlackApi {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final String TOKEN = "xoxb-1234-5678-testtoken";

    private FakeSlackApi() {
    }

    static String path(String method) {
        return "/api/" + Pattern.quote(method);
    }

    static FakeResponse ok(String fieldsJson) {
        return FakeResponse.json(200, "{\"ok\":true" + (fieldsJson.isEmpty() ? "" : "," + fieldsJson) + "}");
    }

    static FakeResponse posted(String channel, String ts) {
        return ok("\"channel\":\"" + channel + "\",\"ts\":\"" + ts + "\",\"message\":{\"type\":\"message\",\"text\":\"x\",\"ts\":\"" + ts + "\"}");
    }

    static FakeResponse error(String code) {
        return FakeResponse.json(200, "{\"ok\":false,\"error\":\"" + code + "\"}");
    }

    static FakeResponse rateLimited(int seconds) {
        return FakeResponse.json(429, "{\"ok\":false,\"error\":\"ratelimited\"}").withHeader("Retry-After", Integer.toString(seconds));
    }

    static FakeResponse authTest() {
        return ok("\"url\":\"https://gatekit-test.slack.com/\",\"team\":\"GateKit Test\",\"user\":\"gatekit\",\"team_id\":\"T0001\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0001\"");
    }

    static FakeResponse opened(String channel) {
        return ok("\"channel\":{\"id\":\"" + channel + "\"}");
    }

    /** The method a request called: its path after {@code /api/}. */
    static String method(RecordedRequest request) {
        return request.path().substring("/api/".length());
    }

    /** The form fields of a request (slack-api-client posts {@code application/x-www-form-urlencoded}). */
    static Map<String, String> form(RecordedRequest request) {
        Map<String, String> values = new LinkedHashMap<>();
        String body = request.bodyAsString();
        if (body.isEmpty()) {
            return values;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            values.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** Every call so far, except {@code auth.test}. */
    static List<RecordedRequest> calls(FakePlatformServer server) {
        return server.requests().stream().filter(request -> !method(request).equals("auth.test")).toList();
    }
}
