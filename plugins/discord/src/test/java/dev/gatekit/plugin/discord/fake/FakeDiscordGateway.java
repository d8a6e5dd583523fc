package dev.gatekit.plugin.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Discord's gateway on a local websocket, speaking the documented opcodes: HELLO (10) on connect,
 * IDENTIFY (2) answered with the READY dispatch and a GUILD_CREATE per guild, heartbeats (1) answered
 * with HEARTBEAT_ACK (11), RESUME (6) answered with INVALID_SESSION (9) so the client identifies again.
 * Everything a client sends is recorded; {@link #dispatch} sends events (MESSAGE_CREATE, ...) to the
 * sessions identified with a token. Bots and guilds come from a function of the token, so one gateway
 * serves several bots.
 */
public final class FakeDiscordGateway implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One payload a client sent: its token (once identified), op and data. */
    public record Received(String token, int op, JsonNode d) {
    }

    private record Session(String token, AtomicInteger sequence) {
    }

    private final FakeWebSocketServer server;
    private final Function<String, ObjectNode> botForToken;
    private final Function<String, List<ObjectNode>> guildsForToken;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<FakeWebSocketServer.Connection, Session> sessions = new ConcurrentHashMap<>();
    private final List<String> openPaths = new CopyOnWriteArrayList<>();
    private volatile int heartbeatIntervalMillis = 1000;

    /**
     * @param botForToken    the user object of the bot a token belongs to, or null to close with 4004
     * @param guildsForToken the GUILD_CREATE payloads of the bot's guilds
     */
    public FakeDiscordGateway(Function<String, ObjectNode> botForToken, Function<String, List<ObjectNode>> guildsForToken) {
        this.botForToken = botForToken;
        this.guildsForToken = guildsForToken;
        this.server = new FakeWebSocketServer(new Handler());
    }

    /** The URL {@code gateway/bot} names. */
    public String url() {
        return server.url();
    }

    public void setHeartbeatIntervalMillis(int value) {
        heartbeatIntervalMillis = value;
    }

    /** Everything clients sent, in order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** What clients sent with one op (2 IDENTIFY, 1 HEARTBEAT, ...). */
    public List<Received> received(int op) {
        return received.stream().filter(r -> r.op() == op).toList();
    }

    /** The paths (with query) clients connected with. */
    public List<String> connectedPaths() {
        return List.copyOf(openPaths);
    }

    /** How many sessions are identified with a token now. */
    public int sessions(String token) {
        return (int) sessions.entrySet().stream()
                .filter(e -> e.getKey().isOpen() && token.equals(e.getValue().token())).count();
    }

    /** Waits until a token has an identified session, polling with a deadline. */
    public void awaitSession(String token, Duration timeout) {
        Poll.until(timeout, () -> sessions(token) > 0, "a gateway session identified with the bot's token");
    }

    /**
     * Sends a dispatch (op 0) to every session identified with a token.
     *
     * @param token the bot's token
     * @param type  the event name, such as {@code MESSAGE_CREATE}
     * @param d     the event's data
     * @return the full payloads sent
     */
    public List<String> dispatch(String token, String type, ObjectNode d) {
        return sessions.entrySet().stream()
                .filter(e -> e.getKey().isOpen() && token.equals(e.getValue().token()))
                .map(e -> send(e.getKey(), e.getValue(), type, d))
                .toList();
    }

    /** Closes every session of a token with a close code, as Discord does when it drops a connection. */
    public void disconnect(String token, int code) {
        sessions.forEach((connection, session) -> {
            if (token.equals(session.token())) {
                connection.close(code, "closed by the fake gateway");
            }
        });
    }

    private String send(FakeWebSocketServer.Connection connection, Session session, String type, ObjectNode d) {
        ObjectNode payload = JSON.createObjectNode().put("op", 0).put("s", session.sequence().incrementAndGet()).put("t", type);
        payload.set("d", d);
        String text = payload.toString();
        connection.send(text);
        return text;
    }

    @Override
    public void close() {
        server.close();
    }

    private final class Handler implements FakeWebSocketServer.Handler {
        @Override
        public void onOpen(FakeWebSocketServer.Connection connection) {
            openPaths.add(connection.path());
            ObjectNode hello = JSON.createObjectNode().put("op", 10).putNull("s").putNull("t");
            hello.putObject("d").put("heartbeat_interval", heartbeatIntervalMillis);
            connection.send(hello.toString());
        }

        @Override
        public void onText(FakeWebSocketServer.Connection connection, String text) {
            JsonNode payload;
            try {
                payload = JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int op = payload.path("op").asInt(-1);
            Session session = sessions.get(connection);
            String token = op == 2 ? payload.path("d").path("token").asText() : session == null ? null : session.token();
            received.add(new Received(token, op, payload.path("d")));
            switch (op) {
                case 1 -> connection.send("{\"op\":11,\"d\":null,\"s\":null,\"t\":null}");
                case 2 -> identify(connection, token);
                case 6 -> connection.send("{\"op\":9,\"d\":false,\"s\":null,\"t\":null}");
                default -> {
                }
            }
        }

        @Override
        public void onClose(FakeWebSocketServer.Connection connection, int code) {
            sessions.remove(connection);
        }

        private void identify(FakeWebSocketServer.Connection connection, String token) {
            ObjectNode bot = botForToken.apply(token);
            if (bot == null) {
                connection.close(4004, "Authentication failed.");
                return;
            }
            Session session = new Session(token, new AtomicInteger());
            List<ObjectNode> guilds = guildsForToken.apply(token);
            ObjectNode ready = JSON.createObjectNode().put("v", 10);
            ready.set("user", bot);
            ArrayNode unavailable = ready.putArray("guilds");
            guilds.forEach(guild -> unavailable.addObject().put("id", guild.get("id").asText()).put("unavailable", true));
            ready.put("session_id", UUID.randomUUID().toString().replace("-", ""))
                    .put("resume_gateway_url", server.url());
            ready.putArray("private_channels");
            ready.putArray("relationships");
            ready.putArray("shard").add(0).add(1);
            ready.putObject("application").put("id", bot.get("id").asText()).put("flags", 0);
            send(connection, session, "READY", ready);
            for (ObjectNode guild : guilds) {
                send(connection, session, "GUILD_CREATE", guild);
            }
            // Registered after READY and the guilds, so a test's dispatch never overtakes them.
            sessions.put(connection, session);
        }
    }
}
