package dev.gatekit.plugin.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.util.http.SlackHttpClient;
import dev.gatekit.plugin.api.AddressPolicy;
import dev.gatekit.plugin.api.DeliveryException;
import java.io.IOException;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * slack-api-client set up for one configuration: its own {@link Slack} instance (and so its own
 * OkHttp client) pointed at {@link SlackSettings#apiBaseUrl()}, with the client's metrics off so it
 * starts no background threads and makes no {@code auth.test} call of its own. The OkHttp client's
 * sockets follow the host's address policy and it follows no redirects, so an {@code apiBaseUrl}
 * cannot lead into the gateway's network. Closing it shuts the OkHttp dispatcher and connection
 * pool down.
 */
final class SlackApi implements AutoCloseable {

    /** One Web API call, as slack-api-client throws. */
    @FunctionalInterface
    interface Call<T extends SlackApiTextResponse> {
        T run(MethodsClient methods) throws IOException, SlackApiException;
    }

    private static final int TIMEOUT_MILLIS = 30_000;
    /**
     * Carries an answer's HTTP status into its headers: slack-api-client keeps a 2xx answer's headers
     * (lower-cased) but not its status, which an {@code "ok":false} failure reports.
     */
    private static final String STATUS_HEADER = "x-gatekit-http-status";

    private final Slack slack;
    private final MethodsClient methods;

    SlackApi(SlackSettings settings, AddressPolicy addressPolicy) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(settings.methodsEndpointUrlPrefix());
        config.setStatsEnabled(false);
        config.setHttpClientCallTimeoutMillis(TIMEOUT_MILLIS);
        config.setPrettyResponseLoggingEnabled(false);
        config.setFailOnUnknownProperties(false);
        OkHttpClient http = SlackHttpClient.buildOkHttpClient(config).newBuilder()
                .socketFactory(addressPolicy.socketFactory())
                .followRedirects(false)
                .followSslRedirects(false)
                .addInterceptor(chain -> {
                    Response answer = chain.proceed(chain.request());
                    return answer.newBuilder().header(STATUS_HEADER, Integer.toString(answer.code())).build();
                })
                .build();
        this.slack = Slack.getInstance(config, new SlackHttpClient(http));
        this.methods = slack.methods(settings.botToken());
    }

    /**
     * Runs a call and turns every failure, including Slack's {@code "ok":false}, into a typed one.
     *
     * @param method the Web API method, for messages
     * @param call   the call
     * @return Slack's successful answer
     * @throws DeliveryException as {@link SlackFailures} maps it
     */
    <T extends SlackApiTextResponse> T call(String method, Call<T> call) throws DeliveryException {
        T response;
        try {
            response = call.run(methods);
        } catch (IOException | SlackApiException | RuntimeException e) {
            throw SlackFailures.fromException(method, e);
        }
        if (response == null) {
            throw SlackFailures.fromException(method, new IOException("empty answer"));
        }
        if (!response.isOk()) {
            throw SlackFailures.fromError(method, response.getError(), status(response), response.getHttpResponseHeaders());
        }
        return response;
    }

    private static int status(SlackApiTextResponse response) {
        List<String> status = response.getHttpResponseHeaders() == null ? null : response.getHttpResponseHeaders().get(STATUS_HEADER);
        // Without the header (never, short of a change in slack-api-client): the Web API's usual 200.
        return status == null || status.isEmpty() ? 200 : Integer.parseInt(status.get(0));
    }

    @Override
    public void close() {
        // Calls still running are cut off (their senders get an IOException, a retryable failure) so no thread waits on a socket.
        slack.getHttpClient().getOkHttpClient().dispatcher().cancelAll();
        try {
            slack.close();
        } catch (Exception e) {
            // Closing only shuts executors down and evicts connections; nothing to report.
        }
    }
}
