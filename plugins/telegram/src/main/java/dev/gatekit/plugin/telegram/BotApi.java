package dev.gatekit.plugin.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatekit.plugin.api.AddressPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * The one HTTP setup of the plugin: an OkHttp client with timeouts and the telegrambots client on
 * top of it, pointed at the configured Bot API server. Its sockets follow the host's address policy
 * and it follows no redirects, so a Bot API URL cannot lead into the gateway's network. Calls run on OkHttp's dispatcher, which runs
 * at most {@link TelegramSettings#maxConcurrentRequests()} at once (one thread each, idle threads
 * end after a minute) and queues the rest without a thread. {@link #close()} cancels the calls and
 * stops the threads so the plugin's class loader can be unloaded.
 */
final class BotApi implements AutoCloseable {

    /** One JSON mapper configuration for everything the plugin reads. */
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** Uploads of up to 50 MB: generous, but a send never hangs a worker for ever. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);
    private static final MediaType APPLICATION_JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final TelegramClient client;

    BotApi(TelegramSettings settings, AddressPolicy addressPolicy) {
        Dispatcher dispatcher = new Dispatcher(dispatcherThreads(settings.configurationId()));
        dispatcher.setMaxRequests(settings.maxConcurrentRequests());
        dispatcher.setMaxRequestsPerHost(settings.maxConcurrentRequests());
        http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false)
                .socketFactory(addressPolicy.socketFactory())
                .followRedirects(false)
                .followSslRedirects(false)
                .addInterceptor(BotApi::normalizeAnswer)
                .build();
        TelegramUrl url = new TelegramUrl(settings.apiBaseUrl().getScheme().toLowerCase(java.util.Locale.ROOT),
                settings.apiBaseUrl().getHost(), settings.port(), false);
        client = new OkHttpTelegramClient(JSON, http, settings.botToken(), url);
    }

    TelegramClient client() {
        return client;
    }

    /** OkHttp's own pool, with daemon threads named after the configuration (OkHttp's default threads are not daemons). */
    private static ExecutorService dispatcherThreads(String configurationId) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "gatekit-telegram-" + configurationId + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * telegrambots reads every body as the Bot API's envelope and ignores the HTTP status, and a
     * body that is not one (a proxy's 502 page, an empty 200) leaves its future never completed.
     * Such answers are rewritten here into Telegram's own error shape with the HTTP status as
     * {@code error_code} (as Telegram's own answers have it), so every failure reaches
     * {@link TelegramFailures} as a Telegram answer carrying the status the server gave.
     */
    private static Response normalizeAnswer(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        ResponseBody body = response.body();
        byte[] bytes = body == null ? new byte[0] : body.bytes();
        JsonNode envelope = null;
        try {
            envelope = bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException notJson) {
            // Falls through to the rewrite below.
        }
        if (envelope == null || !envelope.isObject() || !envelope.path("ok").isBoolean()
                || (!envelope.path("ok").booleanValue() && !envelope.path("error_code").canConvertToInt())) {
            // A redirect keeps its own status too: a Bot API URL that redirects is refused, never followed.
            int status = response.code();
            ObjectNode error = JSON.createObjectNode()
                    .put("ok", false)
                    .put("error_code", status)
                    .put("description", "HTTP " + response.code() + " without a Bot API answer");
            if (status == 429 && response.header("Retry-After") != null) {
                try {
                    error.putObject("parameters").put("retry_after", Integer.parseInt(response.header("Retry-After").trim()));
                } catch (NumberFormatException ignored) {
                    // An HTTP-date Retry-After: let the host back off on its own.
                }
            }
            bytes = JSON.writeValueAsBytes(error);
        }
        return response.newBuilder().body(ResponseBody.create(bytes, APPLICATION_JSON)).build();
    }

    @Override
    public void close() {
        // Queued calls fail at once; running ones fail when their sockets are cancelled; then the threads end.
        http.dispatcher().cancelAll();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
