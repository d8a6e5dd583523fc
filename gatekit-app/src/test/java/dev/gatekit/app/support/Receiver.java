package dev.gatekit.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatekit.plugin.testkit.FakePlatformServer;
import dev.gatekit.plugin.testkit.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A user's own endpoint that the webhook plugin delivers to: records what arrived, scripts the replies. */
public final class Receiver implements AutoCloseable {

    public final FakePlatformServer server = FakePlatformServer.start();

    public String url(String path) {
        return server.baseUri().resolve(path).toString();
    }

    /** The JSON bodies delivered to {@code path}, in arrival order. */
    public List<JsonNode> bodies(String path) {
        return server.requests().stream().filter(r -> r.path().equals(path)).map(Receiver::json).toList();
    }

    public List<RecordedRequest> requests(String path) {
        return server.requests().stream().filter(r -> r.path().equals(path)).toList();
    }

    public static JsonNode json(RecordedRequest request) {
        try {
            return Api.JSON.readTree(request.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
