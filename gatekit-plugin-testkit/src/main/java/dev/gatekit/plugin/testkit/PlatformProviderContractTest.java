package dev.gatekit.plugin.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.gatekit.plugin.api.Capability;
import dev.gatekit.plugin.api.ConfigField;
import dev.gatekit.plugin.api.DeliveryException;
import dev.gatekit.plugin.api.DeliveryReceipt;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.PlatformClient;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.PlatformProvider;
import dev.gatekit.plugin.api.RetryableDeliveryException;
import dev.gatekit.plugin.api.Target;
import dev.gatekit.plugin.api.TargetType;
import dev.gatekit.plugin.api.WebhookRequest;
import dev.gatekit.plugin.api.WebhookResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every GateKit platform plugin must meet. Extend it in your plugin's tests,
 * implement {@link #provider()} and {@link #validConfiguration(FakePlatformServer)}, and your
 * plugin gets the whole suite:
 *
 * <ul>
 *   <li>the descriptor is well formed (id, names, capabilities, unique field names, every field
 *       that looks like a secret is marked secret) and the provider is a PF4J extension listed in
 *       {@code META-INF/extensions.idx};</li>
 *   <li>a configuration's {@code toString()} leaks no credential;</li>
 *   <li>a missing required field is an {@link InvalidConfigurationException} naming it;</li>
 *   <li>the client implements {@code send} or {@code sendAsync} (each defaults to the other);</li>
 *   <li>a send against the fake platform succeeds; a 5xx is retryable; a 429 carries the
 *       platform's retry-after, in seconds or as an HTTP date; a 4xx is permanent with a reason
 *       code; all of it through {@code send} and through {@code sendAsync}, whose failures are
 *       typed failed stages, never thrown;</li>
 *   <li>a send the platform never answers ends as a retryable failure once the client's timeout
 *       passed (when {@link #configurationWithTimeout} gives a configuration);</li>
 *   <li>when the client overrides {@code sendAsync}: the call returns before the platform
 *       answers, and, when {@link #configurationWithConcurrencyBound} gives a configuration, the
 *       platform never sees more requests at once than its bound ({@link AsyncSends});</li>
 *   <li>{@code close()} is idempotent;</li>
 *   <li>a forged webhook request is rejected with 401 or 403 and no events (when the platform
 *       declares {@link Capability#INBOUND_WEBHOOK}); an authentic one (when
 *       {@link #authenticWebhookRequest} gives one) is accepted with a 2xx and its events.</li>
 * </ul>
 *
 * <p>A client overriding neither {@code send} nor {@code sendAsync} fails
 * {@code clientImplementsSendOrSendAsync} (and every send test) with that message, rather than with
 * a {@link StackOverflowError}.
 *
 * <p>The {@code script...} hooks describe the platform's wire format to the suite. Their defaults
 * fit a plain JSON-over-HTTP API that signals failure with its HTTP status; override them where
 * your platform answers differently (Telegram's {@code {"ok":false,"parameters":{"retry_after":5}}},
 * say). Each test gets a fresh {@link FakePlatformServer} ({@link #server}) and
 * {@link TestPlatformContext} ({@link #context}).
 */
@Timeout(60)
public abstract class PlatformProviderContractTest {

    /** Names that suggest a secret value; a field whose name contains one must be marked secret. */
    protected static final List<String> SECRET_NAME_HINTS =
            List.of("token", "secret", "password", "passwd", "apikey", "api_key", "privatekey", "private_key", "key");

    /** How long the suite waits for one send through {@code sendAsync}. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    /** The fake platform for the current test. */
    protected FakePlatformServer server;
    /** The context handed to the plugin in the current test. */
    protected TestPlatformContext context;

    private final List<PlatformClient> openedClients = new ArrayList<>();

    /**
     * The provider under test, as PF4J would create it.
     *
     * @return a new or shared provider instance
     */
    protected abstract PlatformProvider provider();

    /**
     * A configuration that works against the fake server: every required field present, the
     * plugin pointed at {@code server} (through {@link #context}'s API base URL, or a setting).
     *
     * @param server the fake platform of this test
     * @return the configuration
     */
    protected abstract PlatformConfiguration validConfiguration(FakePlatformServer server);

    /**
     * Creates the context for one test. Override to change the clock or webhook URL.
     *
     * @param server the fake platform of this test
     * @return the context
     */
    protected TestPlatformContext createContext(FakePlatformServer server) {
        return TestPlatformContext.forServer(server);
    }

    /**
     * Stubs what the plugin calls before it sends anything (a "who am I" call on open, say).
     * The default stubs nothing.
     *
     * @param server the fake platform of this test
     */
    protected void prepareServer(FakePlatformServer server) {
    }

    /**
     * A message the platform can deliver. The default is a short plain text to the first target
     * type the descriptor declares.
     *
     * @return the message
     */
    protected OutboundMessage sampleMessage() {
        TargetType type = provider().descriptor().targetTypes().iterator().next();
        return new OutboundMessage("msg-" + UUID.randomUUID(), new Target(type, "12345"),
                MessageContent.text("hello from the GateKit contract test"), null, Map.of());
    }

    /**
     * Makes sends succeed from now on. The default answers every unscripted request with
     * {@code 200 {"id":"platform-1"}}.
     *
     * @param server the fake platform
     */
    protected void scriptSendSuccess(FakePlatformServer server) {
        server.setDefaultResponse(FakeResponse.json(200, "{\"id\":\"platform-1\"}"));
    }

    /**
     * Makes sends fail with an HTTP status from now on, in the platform's own error shape. The
     * default answers every unscripted request with the status and {@code {"error":"scripted"}}.
     * It changes the default reply rather than enqueuing one, so a client library that retries
     * internally still ends up failing.
     *
     * @param server the fake platform
     * @param status the HTTP status, 4xx or 5xx
     */
    protected void scriptSendFailure(FakePlatformServer server, int status) {
        server.setDefaultResponse(FakeResponse.json(status, "{\"error\":\"scripted failure\"}"));
    }

    /**
     * Makes sends be rate limited from now on, telling the client to wait {@code retryAfter}.
     * The default answers {@code 429} with a {@code Retry-After} header in seconds.
     *
     * @param server     the fake platform
     * @param retryAfter the delay the platform asks for
     */
    protected void scriptRateLimited(FakePlatformServer server, Duration retryAfter) {
        server.setDefaultResponse(FakeResponse.tooManyRequests(retryAfter));
    }

    /**
     * Makes sends be rate limited from now on until {@code until}, given as an HTTP date
     * ({@code Retry-After: Tue, 01 Dec 2026 09:00:30 GMT}, which RFC 9110 allows besides seconds).
     * The default answers {@code 429} with that header when the plugin keeps the default wire format
     * ({@link #scriptRateLimited} not overridden) and returns true; a plugin with its own way of
     * saying "rate limited" skips the check (returns false) unless it overrides this too.
     *
     * @param server the fake platform
     * @param until  when the platform allows sends again
     * @return whether the platform was scripted; false skips the check
     */
    protected boolean scriptRateLimitedUntil(FakePlatformServer server, Instant until) {
        if (overridden("scriptRateLimited", FakePlatformServer.class, Duration.class)) {
            return false;
        }
        server.setDefaultResponse(FakeResponse.tooManyRequestsUntil(until.atZone(java.time.ZoneOffset.UTC)));
        return true;
    }

    /**
     * A valid configuration whose client gives up on an unanswered request after {@code timeout}
     * (a "timeout" setting), for the timeout check; empty, the default, when the plugin has no such
     * setting, and the check is skipped.
     *
     * @param server  the fake platform of this test
     * @param timeout how long the client waits for an answer
     * @return the configuration, or empty
     */
    protected Optional<PlatformConfiguration> configurationWithTimeout(FakePlatformServer server, Duration timeout) {
        return Optional.empty();
    }

    /**
     * A webhook request the platform itself would send for {@code configuration}, correctly
     * authenticated and carrying at least one event; empty, the default, skips the check. Declaring
     * {@link Capability#INBOUND_WEBHOOK} and overriding this is what proves the plugin takes real events.
     *
     * @param configuration the configuration the request is signed for ({@link #validConfiguration})
     * @return the request, or empty
     */
    protected Optional<WebhookRequest> authenticWebhookRequest(PlatformConfiguration configuration) {
        return Optional.empty();
    }

    /**
     * The 4xx statuses the platform uses for failures retrying cannot fix. Default: 400, 401,
     * 403, 404.
     *
     * @return the statuses
     */
    protected List<Integer> permanentFailureStatuses() {
        return List.of(400, 401, 403, 404);
    }

    /**
     * A valid configuration whose client may have at most {@code bound} requests in flight at once
     * (a "max concurrent requests" setting), for the concurrency check; empty, the default, when the
     * plugin has no such setting, and the check is skipped.
     *
     * @param server the fake platform of this test
     * @param bound  the most requests in flight at once
     * @return the configuration, or empty
     */
    protected Optional<PlatformConfiguration> configurationWithConcurrencyBound(FakePlatformServer server, int bound) {
        return Optional.empty();
    }

    /**
     * A webhook request an attacker could send: plausible, but without valid authentication.
     * Override to make it look more like the platform's own (right headers, wrong signature).
     *
     * @return the request
     */
    protected WebhookRequest forgedWebhookRequest() {
        byte[] body = "{\"id\":\"forged-1\",\"chatId\":\"1\",\"text\":\"forged\"}".getBytes(StandardCharsets.UTF_8);
        return new WebhookRequest("POST", "/webhooks/" + provider().descriptor().id() + "/token",
                Map.of("Content-Type", List.of("application/json"), "X-Signature", List.of("forged")),
                Map.of(), body, "203.0.113.7", Instant.now());
    }

    /**
     * Opens a client for {@link #validConfiguration} against the fake server; the suite closes it
     * after the test.
     *
     * @return the client
     * @throws InvalidConfigurationException when the plugin refuses the valid configuration
     */
    protected PlatformClient openClient() throws InvalidConfigurationException {
        return openClient(validConfiguration(server));
    }

    /**
     * Opens a client for a configuration; the suite closes it after the test.
     *
     * @param configuration the configuration
     * @return the client
     * @throws InvalidConfigurationException when the plugin refuses it
     */
    protected PlatformClient openClient(PlatformConfiguration configuration) throws InvalidConfigurationException {
        PlatformClient client = provider().openClient(configuration, context);
        assertThat(client).as("openClient must not return null").isNotNull();
        openedClients.add(client);
        return client;
    }

    @BeforeEach
    void startFakePlatform() {
        server = FakePlatformServer.start();
        context = createContext(server);
        prepareServer(server);
    }

    @AfterEach
    void stopFakePlatform() {
        try {
            for (PlatformClient client : openedClients) {
                client.close();
            }
        } finally {
            openedClients.clear();
            server.close();
        }
    }

    @Test
    void descriptorIsWellFormed() {
        PlatformDescriptor descriptor = provider().descriptor();
        assertThat(descriptor).as("descriptor()").isNotNull();
        assertThat(descriptor.id()).matches(PlatformDescriptor.ID_PATTERN);
        assertThat(descriptor.displayName()).isNotBlank();
        assertThat(descriptor.version()).isNotBlank();
        assertThat(descriptor.capabilities()).isNotEmpty();
        assertThat(descriptor.targetTypes()).isNotEmpty();
        assertThat(descriptor.maxTextLength()).isPositive();
        assertThat(provider().descriptor()).as("descriptor() returns the same value every time").isEqualTo(descriptor);

        Set<String> names = new HashSet<>();
        for (ConfigField field : descriptor.allFields()) {
            assertThat(names.add(field.name())).as("field name %s is unique", field.name()).isTrue();
            assertThat(field.description()).as("description of field %s", field.name()).isNotBlank();
            if (looksSecret(field.name())) {
                assertThat(field.secret()).as("field '%s' looks like a secret but is not marked secret", field.name())
                        .isTrue();
            }
        }
    }

    @Test
    void providerIsAPf4jExtensionListedInTheIndex() throws IOException {
        Class<?> type = provider().getClass();
        assertThat(type.isAnnotationPresent(org.pf4j.Extension.class))
                .as("%s must be annotated @org.pf4j.Extension", type.getName()).isTrue();
        List<String> indexed = new ArrayList<>();
        Enumeration<URL> indexes = type.getClassLoader().getResources("META-INF/extensions.idx");
        while (indexes.hasMoreElements()) {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(indexes.nextElement().openStream(), StandardCharsets.UTF_8))) {
                reader.lines().map(String::trim).forEach(indexed::add);
            }
        }
        assertThat(indexed).as("META-INF/extensions.idx (is pf4j's annotation processor on the compile path?)")
                .contains(type.getName());
    }

    @Test
    void configurationToStringLeaksNoCredential() {
        PlatformConfiguration configuration = validConfiguration(server);
        String text = configuration.toString();
        for (Map.Entry<String, String> credential : configuration.credentials().entrySet()) {
            assertThat(text).as("toString() leaks credential %s", credential.getKey())
                    .doesNotContain(credential.getValue());
        }
    }

    @Test
    void validConfigurationOpensAHealthyClient() throws Exception {
        PlatformClient client = openClient();
        assertThat(client.health()).as("health()").isNotNull();
    }

    @Test
    void missingRequiredFieldIsRejectedByName() {
        PlatformDescriptor descriptor = provider().descriptor();
        PlatformConfiguration valid = validConfiguration(server);
        for (ConfigField field : descriptor.credentialFields()) {
            if (field.required()) {
                Map<String, String> credentials = new HashMap<>(valid.credentials());
                credentials.remove(field.name());
                assertRejected(field, new PlatformConfiguration(valid.configurationId(), valid.projectId(),
                        credentials, valid.settings(), valid.testMode()));
            }
        }
        for (ConfigField field : descriptor.configFields()) {
            if (field.required()) {
                Map<String, String> settings = new HashMap<>(valid.settings());
                settings.remove(field.name());
                assertRejected(field, new PlatformConfiguration(valid.configurationId(), valid.projectId(),
                        valid.credentials(), settings, valid.testMode()));
            }
        }
    }

    @Test
    void clientImplementsSendOrSendAsync() throws Exception {
        assertImplementsASendMethod(openClient());
    }

    @Test
    void sendSucceedsAgainstTheFakePlatform() throws Exception {
        PlatformClient client = openClient();
        scriptSendSuccess(server);
        DeliveryReceipt receipt = send(client, sampleMessage());
        assertThat(receipt).as("send() must return a receipt").isNotNull();
        assertThat(server.requests()).as("requests the plugin made to the fake platform").isNotEmpty();
    }

    @Test
    void serverErrorIsRetryable() throws Exception {
        PlatformClient client = openClient();
        scriptSendFailure(server, 500);
        Throwable thrown = catchThrowable(() -> send(client, sampleMessage()));
        assertThat(thrown).as("a 500 from the platform").isInstanceOf(RetryableDeliveryException.class);
    }

    @Test
    void rateLimitCarriesRetryAfter() throws Exception {
        PlatformClient client = openClient();
        Duration retryAfter = Duration.ofSeconds(7);
        scriptRateLimited(server, retryAfter);
        Throwable thrown = catchThrowable(() -> send(client, sampleMessage()));
        assertThat(thrown).as("a 429 from the platform").isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) thrown).retryAfter()).as("retryAfter()").contains(retryAfter);
    }

    @Test
    void rateLimitCarriesAnHttpDateRetryAfter() throws Exception {
        PlatformClient client = openClient();
        // An HTTP date has whole seconds: 30 s ahead, the wait asked for is 29 to 30 s from now.
        Instant until = context.clock().instant().plusSeconds(31).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assumeThat(scriptRateLimitedUntil(server, until)).as("scriptRateLimitedUntil()").isTrue();
        Throwable thrown = catchThrowable(() -> send(client, sampleMessage()));
        assertThat(thrown).as("a 429 with an HTTP-date Retry-After").isInstanceOf(RetryableDeliveryException.class);
        Duration expected = Duration.between(context.clock().instant(), until);
        assertThat(((RetryableDeliveryException) thrown).retryAfter()).as("retryAfter() for Retry-After: <HTTP date>")
                .hasValueSatisfying(retryAfter -> assertThat(retryAfter)
                        .isBetween(expected.minusSeconds(3), expected.plusSeconds(1)));
    }

    @Test
    void anUnansweredSendIsRetryableOnceTheTimeoutPassed() throws Exception {
        Duration timeout = Duration.ofSeconds(1);
        Optional<PlatformConfiguration> configuration = configurationWithTimeout(server, timeout);
        assumeThat(configuration).as("configurationWithTimeout()").isPresent();
        PlatformClient client = openClient(configuration.get());
        scriptSendSuccess(server);
        server.holdReplies();
        long started = System.nanoTime();
        Throwable thrown = catchThrowable(() -> send(client, sampleMessage()));
        Throwable thrownAsync = catchThrowable(() -> sendAsync(client, sampleMessage()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(thrown).as("a send the platform never answered").isInstanceOf(RetryableDeliveryException.class);
        assertThat(thrownAsync).as("the same through sendAsync()").isInstanceOf(RetryableDeliveryException.class);
        assertThat(took).as("both sends end near their timeout, not the suite's").isLessThan(SEND_TIMEOUT);
    }

    @Test
    void clientErrorIsPermanentWithAReasonCode() throws Exception {
        for (int status : permanentFailureStatuses()) {
            PlatformClient client = openClient();
            scriptSendFailure(server, status);
            Throwable thrown = catchThrowable(() -> send(client, sampleMessage()));
            assertThat(thrown).as("a %d from the platform", status).isInstanceOf(PermanentDeliveryException.class);
            assertThat(((PermanentDeliveryException) thrown).reasonCode()).as("reason code for %d", status)
                    .isNotBlank();
        }
    }

    @Test
    void sendAsyncSucceedsAgainstTheFakePlatform() throws Exception {
        PlatformClient client = openClient();
        scriptSendSuccess(server);
        DeliveryReceipt receipt = sendAsync(client, sampleMessage());
        assertThat(receipt).as("the stage sendAsync() returns must complete with a receipt").isNotNull();
        assertThat(server.requests()).as("requests the plugin made to the fake platform").isNotEmpty();
    }

    @Test
    void sendAsyncFailuresAreTypedFailedStages() throws Exception {
        PlatformClient client = openClient();
        scriptSendFailure(server, 500);
        assertThat(catchThrowable(() -> sendAsync(client, sampleMessage())))
                .as("a 500 from the platform, through sendAsync()").isInstanceOf(RetryableDeliveryException.class);

        Duration retryAfter = Duration.ofSeconds(7);
        scriptRateLimited(server, retryAfter);
        Throwable limited = catchThrowable(() -> sendAsync(client, sampleMessage()));
        assertThat(limited).as("a 429 from the platform, through sendAsync()").isInstanceOf(RetryableDeliveryException.class);
        assertThat(((RetryableDeliveryException) limited).retryAfter()).as("retryAfter()").contains(retryAfter);

        for (int status : permanentFailureStatuses()) {
            PlatformClient fresh = openClient();
            scriptSendFailure(server, status);
            Throwable thrown = catchThrowable(() -> sendAsync(fresh, sampleMessage()));
            assertThat(thrown).as("a %d from the platform, through sendAsync()", status)
                    .isInstanceOf(PermanentDeliveryException.class);
            assertThat(((PermanentDeliveryException) thrown).reasonCode()).as("reason code for %d", status)
                    .isNotBlank();
        }
    }

    @Test
    void sendAsyncReturnsBeforeThePlatformAnswers() throws Exception {
        PlatformClient client = openClient();
        assumeThat(overridesSendAsync(client)).as("the client overrides sendAsync()").isTrue();
        scriptSendSuccess(server);
        CompletionStage<DeliveryReceipt> stage = AsyncSends.assertDoesNotBlock(client, sampleMessage(), server);
        assertThat(AsyncSends.await(stage, SEND_TIMEOUT)).as("the receipt, once the platform answered").isNotNull();
    }

    @Test
    void sendAsyncKeepsItsConcurrencyBound() throws Exception {
        int bound = 3;
        Optional<PlatformConfiguration> bounded = configurationWithConcurrencyBound(server, bound);
        assumeThat(bounded).as("configurationWithConcurrencyBound()").isPresent();
        PlatformClient client = openClient(bounded.get());
        assertImplementsASendMethod(client);
        scriptSendSuccess(server);
        List<OutboundMessage> messages = new ArrayList<>();
        for (int i = 0; i < bound * 4; i++) {
            messages.add(sampleMessage());
        }
        AsyncSends.assertConcurrencyBound(client, server, bound, messages);
    }

    @Test
    void closeIsIdempotent() throws Exception {
        PlatformClient client = openClient();
        assertThatCode(() -> {
            client.close();
            client.close();
        }).as("close() twice").doesNotThrowAnyException();
    }

    @Test
    void forgedWebhookIsRejected() throws Exception {
        PlatformClient client = openClient();
        WebhookResult result = client.handleWebhook(forgedWebhookRequest());
        assertThat(result).as("handleWebhook() result").isNotNull();
        assertThat(result.authentic()).as("a forged request is not authentic").isFalse();
        assertThat(result.events()).as("events from a forged request").isEmpty();
        assertThat(context.publishedEvents()).as("events published to the sink").isEmpty();
        if (provider().descriptor().supports(Capability.INBOUND_WEBHOOK)) {
            assertThat(result.httpStatus()).as("status for a forged request").isIn(401, 403);
        } else {
            assertThat(result.httpStatus()).as("status without webhook support").isBetween(400, 499);
        }
    }

    @Test
    void authenticWebhookIsAcceptedWithItsEvents() throws Exception {
        PlatformConfiguration configuration = validConfiguration(server);
        Optional<WebhookRequest> request = authenticWebhookRequest(configuration);
        assumeThat(request).as("authenticWebhookRequest()").isPresent();
        PlatformClient client = openClient(configuration);
        WebhookResult result = client.handleWebhook(request.get());
        assertThat(result).as("handleWebhook() result").isNotNull();
        assertThat(result.authentic()).as("an authentic request").isTrue();
        assertThat(result.httpStatus()).as("status for an authentic request").isBetween(200, 299);
        assertThat(result.events()).as("events from an authentic request").isNotEmpty();
    }

    @Test
    void webhookCapabilityMatchesBehaviour() throws Exception {
        assumeThat(provider().descriptor().supports(Capability.INBOUND_WEBHOOK))
                .as("platform declares INBOUND_WEBHOOK").isTrue();
        PlatformClient client = openClient();
        assertThat(client.getClass().getMethod("handleWebhook", WebhookRequest.class).getDeclaringClass())
                .as("a platform declaring INBOUND_WEBHOOK overrides handleWebhook()")
                .isNotEqualTo(PlatformClient.class);
    }

    private static DeliveryReceipt send(PlatformClient client, OutboundMessage message) throws DeliveryException {
        assertImplementsASendMethod(client);
        return client.send(message);
    }

    private static DeliveryReceipt sendAsync(PlatformClient client, OutboundMessage message) throws DeliveryException {
        assertImplementsASendMethod(client);
        CompletionStage<DeliveryReceipt> stage;
        try {
            stage = client.sendAsync(message);
        } catch (RuntimeException e) {
            throw new AssertionError("sendAsync() threw instead of returning a failed stage", e);
        }
        assertThat(stage).as("sendAsync() must not return null").isNotNull();
        return AsyncSends.await(stage, SEND_TIMEOUT);
    }

    private static void assertImplementsASendMethod(PlatformClient client) {
        assertThat(overridesSend(client) || overridesSendAsync(client))
                .as("%s must override send() or sendAsync(): each defaults to calling the other, so a client "
                        + "overriding neither recurses until the stack overflows", client.getClass().getName())
                .isTrue();
    }

    private static boolean overridesSend(PlatformClient client) {
        return declaredOutsideTheApi(client, "send");
    }

    private static boolean overridesSendAsync(PlatformClient client) {
        return declaredOutsideTheApi(client, "sendAsync");
    }

    private static boolean declaredOutsideTheApi(PlatformClient client, String method) {
        try {
            return client.getClass().getMethod(method, OutboundMessage.class).getDeclaringClass() != PlatformClient.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("PlatformClient has no " + method + "(OutboundMessage)", e);
        }
    }

    /** Whether the concrete test class overrides one of this class's hooks. */
    private boolean overridden(String method, Class<?>... parameters) {
        for (Class<?> type = getClass(); type != PlatformProviderContractTest.class; type = type.getSuperclass()) {
            try {
                type.getDeclaredMethod(method, parameters);
                return true;
            } catch (NoSuchMethodException e) {
                // not here; look further up
            }
        }
        return false;
    }

    private void assertRejected(ConfigField field, PlatformConfiguration configuration) {
        Throwable thrown = catchThrowable(() -> openClient(configuration));
        assertThat(thrown).as("openClient() without required field '%s'", field.name())
                .isInstanceOf(InvalidConfigurationException.class);
        assertThat(((InvalidConfigurationException) thrown).field()).as("field() of the failure").isEqualTo(field.name());
        assertThat(thrown.getMessage()).as("message of the failure").isNotBlank();
    }

    /**
     * Tells whether a field name suggests a secret value (it contains one of
     * {@link #SECRET_NAME_HINTS}). Override for a platform whose field names trip it wrongly.
     *
     * @param name the field name
     * @return true when the field must be marked secret
     */
    protected boolean looksSecret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return SECRET_NAME_HINTS.stream().anyMatch(lower::contains);
    }
}
