package dev.gatekit.plugin.telegram;

import static dev.gatekit.plugin.telegram.FakeBotApi.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.testkit.AsyncSends;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.TestPlatformContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** sendAsync with the real telegrambots client against the fake Bot API: chains of stages, a bound in flight, typed failed stages. */
@Timeout(60)
class TelegramAsyncSendTest {

    private static final String TOKEN = TelegramPlatformContractTest.TOKEN;
    private static final Duration WAIT = FakeBotApi.WAIT;

    private FakePlatformServer server;
    private final List<PlatformClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = FakePlatformServer.start();
        FakeBotApi.stubWebhook(server);
    }

    @AfterEach
    void stop() {
        clients.forEach(PlatformClient::close);
        server.close();
    }

    private PlatformClient client(String configurationId, Map<String, String> settings) throws Exception {
        PlatformClient client = new TelegramPlatformProvider().openClient(
                new PlatformConfiguration(configurationId, "proj-1", Map.of("botToken", TOKEN), settings, false),
                TestPlatformContext.forServer(server));
        clients.add(client);
        return client;
    }

    private PlatformClient boundedTo(int bound) throws Exception {
        return client("cfg-1", Map.of("maxConcurrentRequests", Integer.toString(bound)));
    }

    private static OutboundMessage text(String id, String text) {
        return new OutboundMessage(id, Target.user("12345"), MessageContent.text(text), null, Map.of());
    }

    /** Two parts: Telegram takes 4096 characters a message. */
    private static String twoParts(char letter) {
        return String.valueOf(letter).repeat(3000) + "\n\n" + String.valueOf(letter).repeat(3000);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until %s", what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private List<String> textsSent() {
        return FakeBotApi.sends(server).stream().map(call -> call.field("text").substring(0, 1)).toList();
    }

    @Test
    void aSendReturnsBeforeTelegramAnswers() throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.sent(77));
        PlatformClient client = client("cfg-1", Map.of());

        DeliveryReceipt receipt = AsyncSends.await(AsyncSends.assertDoesNotBlock(client, text("m-1", "hi"), server), WAIT);

        assertThat(receipt.platformMessageIds()).containsExactly("77");
        assertThat(receipt.details()).containsEntry("chatId", "12345");
    }

    @Test
    void manySlowSendsNeverHaveMoreThanTheBoundInFlight() throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.sent(1));
        List<OutboundMessage> messages = IntStream.range(0, 16).mapToObj(i -> text("m-" + i, "hi " + i)).toList();

        assertThat(AsyncSends.assertConcurrencyBound(boundedTo(4), server, 4, messages)).isEqualTo(4);
        assertThat(FakeBotApi.sends(server)).hasSize(16);
    }

    @Test
    void aSplitSendIsAChainThatMakesEachPartAfterThePreviousAnswer() throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.sent(1));
        server.enqueue(path("sendMessage"), FakeBotApi.sent(11));
        server.enqueue(path("sendMessage"), FakeBotApi.sent(12));
        PlatformClient client = client("cfg-1", Map.of());

        server.holdReplies();
        CompletableFuture<DeliveryReceipt> send = client.sendAsync(text("m-1", twoParts('A'))).toCompletableFuture();
        await("the first part reached Telegram", () -> FakeBotApi.sends(server).size() == 1);
        assertThat(send).isNotDone();
        assertThat(server.openRequests()).as("the second part waits for the first answer").isEqualTo(1);

        server.releaseReplies();
        DeliveryReceipt receipt = AsyncSends.await(send, WAIT);
        assertThat(receipt.platformMessageIds()).containsExactly("11", "12");
        assertThat(receipt.details()).containsEntry("messageCount", "2");
        assertThat(server.maxConcurrentRequests()).isEqualTo(1);
    }

    @Test
    void aSplitSendKeepsItsSlotSoItsPartsAreNotOvertaken() throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.sent(1));
        PlatformClient client = boundedTo(1);
        server.holdReplies();
        CompletableFuture<DeliveryReceipt> split = client.sendAsync(text("m-1", twoParts('A'))).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> single = client.sendAsync(text("m-2", "B")).toCompletableFuture();
        await("the first part reached Telegram", () -> FakeBotApi.sends(server).size() == 1);

        server.releaseReplies();
        AsyncSends.await(split, WAIT);
        AsyncSends.await(single, WAIT);
        assertThat(textsSent()).containsExactly("A", "A", "B");
    }

    @Test
    void aRateLimitOnALaterPartIsRetryableWithTelegramsRetryAfter() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.sent(11));
        server.enqueue(path("sendMessage"), FakeBotApi.rateLimited(5));
        PlatformClient client = client("cfg-1", Map.of());

        Throwable thrown = catchThrowable(() -> AsyncSends.await(client.sendAsync(text("m-1", twoParts('A'))), WAIT));

        assertThat(thrown).isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(FakeBotApi.sends(server)).hasSize(2);
    }

    @Test
    void refusalsArePermanentFailedStagesWithTheirReasonCodes() throws Exception {
        PlatformClient client = client("cfg-1", Map.of());
        Map<String, String> expected = new HashMap<>(Map.of(
                "Bad Request: chat not found", "invalid_target",
                "Forbidden: bot was blocked by the user", "bot_blocked",
                "Bad Request: message is too long", "content_too_large"));
        for (Map.Entry<String, String> refusal : expected.entrySet()) {
            int code = refusal.getKey().startsWith("Forbidden") ? 403 : 400;
            server.enqueue(path("sendMessage"), FakeBotApi.error(code, refusal.getKey()));
            Throwable thrown = catchThrowable(() -> AsyncSends.await(client.sendAsync(text("m-1", "hi")), WAIT));
            assertThat(thrown).as(refusal.getKey()).isInstanceOf(PermanentDeliveryException.class);
            assertThat(((PermanentDeliveryException) thrown).reasonCode()).as(refusal.getKey()).isEqualTo(refusal.getValue());
        }
    }

    @Test
    void aGroupUpgradedToASupergroupIsFollowedInTheChain() throws Exception {
        server.enqueue(path("sendMessage"), FakeBotApi.migrated(-1009876543210L));
        server.enqueue(path("sendMessage"), FakeBotApi.sent(8));
        PlatformClient client = client("cfg-1", Map.of());

        DeliveryReceipt receipt = AsyncSends.await(client.sendAsync(new OutboundMessage("m-1", Target.group("-4242"),
                MessageContent.text("hi"), null, Map.of())), WAIT);

        assertThat(FakeBotApi.sends(server)).extracting(call -> call.field("chat_id")).containsExactly("-4242", "-1009876543210");
        assertThat(receipt.details()).containsEntry("chatId", "-1009876543210");
    }

    @Test
    void closingFailsWaitingSendsAndEndsEveryThread() throws Exception {
        server.stub(path("sendMessage"), FakeBotApi.sent(1));
        PlatformClient client = client("cfg-threads", Map.of("maxConcurrentRequests", "1"));
        server.holdReplies();
        CompletableFuture<DeliveryReceipt> inFlight = client.sendAsync(text("m-1", "A")).toCompletableFuture();
        CompletableFuture<DeliveryReceipt> waiting = client.sendAsync(text("m-2", "B")).toCompletableFuture();
        await("the first send reached Telegram", () -> FakeBotApi.sends(server).size() == 1);
        assertThat(pluginThreads()).as("OkHttp's threads while a call is out").isPositive();

        client.close();

        assertThat(catchThrowable(() -> AsyncSends.await(waiting, WAIT))).isInstanceOf(RetryableDeliveryException.class)
                .hasMessageContaining("closed");
        assertThat(catchThrowable(() -> AsyncSends.await(inFlight, WAIT))).as("the cancelled call")
                .isInstanceOf(RetryableDeliveryException.class);
        await("every thread of the client ended", () -> pluginThreads() == 0);
        server.releaseReplies();
        assertThat(textsSent()).containsExactly("A");
    }

    /** The client's dispatcher threads: named after the configuration, or after the call while OkHttp runs one. */
    private long pluginThreads() {
        String calling = "OkHttp " + server.baseUri();
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("gatekit-telegram-cfg-threads-") || name.startsWith(calling)).count();
    }
}
