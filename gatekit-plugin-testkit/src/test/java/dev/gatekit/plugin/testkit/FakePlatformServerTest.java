package dev.gatekit.plugin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakePlatformServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final FakePlatformServer server = FakePlatformServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(server.baseUri().resolve(pathAndQuery))
                .header("X-Test", "yes")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listensOnLoopback() {
        assertThat(server.baseUri().toString()).startsWith("http://127.0.0.1:").endsWith("/");
        assertThat(server.port()).isPositive();
    }

    @Test
    void recordsRequestsInOrder() throws Exception {
        post("a/b?x=1&y=two%20words", "first");
        post("c", "second");

        RecordedRequest first = server.takeRequest(Duration.ofSeconds(5));
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/a/b");
        assertThat(first.queryParameters()).containsEntry("x", java.util.List.of("1"))
                .containsEntry("y", java.util.List.of("two words"));
        assertThat(first.header("x-test")).contains("yes");
        assertThat(first.bodyAsString()).isEqualTo("first");
        assertThat(server.takeRequest(Duration.ofSeconds(5)).path()).isEqualTo("/c");
        assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly("/a/b", "/c");
    }

    @Test
    void takeRequestFailsWhenNothingArrives() {
        assertThatThrownBy(() -> server.takeRequest(Duration.ofMillis(50))).isInstanceOf(AssertionError.class);
    }

    @Test
    void oneShotsThenStubsThenDefault() throws Exception {
        server.setDefaultResponse(FakeResponse.text(202, "default"));
        server.stub("/send/.*", FakeResponse.json(200, "{\"stub\":true}"));
        server.enqueue("/send/.*", FakeResponse.status(500));
        server.enqueue(FakeResponse.text(201, "fifo"));

        assertThat(post("other", "").body()).isEqualTo("fifo");
        assertThat(post("send/1", "").statusCode()).isEqualTo(500);
        HttpResponse<String> stubbed = post("send/2", "");
        assertThat(stubbed.statusCode()).isEqualTo(200);
        assertThat(stubbed.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(post("other", "").statusCode()).isEqualTo(202);

        server.reset();
        assertThat(post("send/3", "").body()).isEqualTo("{}");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void tooManyRequestsCarriesRetryAfter() throws Exception {
        server.enqueue(FakeResponse.tooManyRequests(Duration.ofSeconds(7)));
        server.enqueue(FakeResponse.tooManyRequestsUntil(ZonedDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)));

        HttpResponse<String> seconds = post("x", "");
        assertThat(seconds.statusCode()).isEqualTo(429);
        assertThat(seconds.headers().firstValue("Retry-After")).contains("7");
        assertThat(post("x", "").headers().firstValue("Retry-After")).contains("Wed, 2 Jan 2030 03:04:05 GMT");
    }

    @Test
    void delayedReplyProvokesClientTimeout() throws Exception {
        // A warm client and connection, so on a loaded machine the short timeout cannot expire before the request is out.
        post("warm-up", "");
        server.takeRequest(Duration.ofSeconds(5));
        server.enqueue(FakeResponse.ok().withDelay(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(server.baseUri())
                .timeout(Duration.ofMillis(500)).GET().build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(server.takeRequest(Duration.ofSeconds(5)).method()).isEqualTo("GET");
    }

    @Test
    void countsTheRequestsItHoldsOpenAtOnce() throws Exception {
        server.setReplyDelay(Duration.ofMillis(300));
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            replies.add(http.sendAsync(HttpRequest.newBuilder(server.baseUri().resolve("slow/" + i))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(server.maxConcurrentRequests()).isEqualTo(3);
        assertThat(server.openRequests()).isZero();

        server.setReplyDelay(Duration.ZERO).resetMaxConcurrentRequests();
        post("fast", "");
        assertThat(server.maxConcurrentRequests()).isEqualTo(1);
    }

    @Test
    void heldRepliesWaitUntilReleased() throws Exception {
        server.holdReplies();
        CompletableFuture<HttpResponse<String>> reply = http.sendAsync(HttpRequest.newBuilder(server.baseUri())
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(server.takeRequest(Duration.ofSeconds(5)).method()).isEqualTo("GET");
        assertThat(reply).isNotDone();
        assertThat(server.openRequests()).isEqualTo(1);

        server.releaseReplies();
        assertThat(reply.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(post("after", "").statusCode()).as("answered at once after the release").isEqualTo(200);
    }
}
