package dev.gatekit.plugin.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatekit.plugin.testkit.FakeResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Discord: the REST API under {@code /api/v10/...} with Discord's documented JSON, errors and
 * rate-limit headers, and its gateway ({@link FakeDiscordGateway}), which {@code GET gateway/bot}
 * names. Each {@link Bot} has its own token, a guild with a text channel, an active thread and a
 * channel where it may not send, so tests that share one fake read back only their own bot's calls.
 *
 * <p>It answers {@code users/@me}, {@code gateway/bot}, {@code users/@me/channels} (opening a DM),
 * {@code channels/{id}/messages} (JSON or multipart with files, echoed as the created message) and
 * {@code interactions/{id}/{token}/callback}; {@link #failNext} scripts a one-shot answer (a 429, a
 * Discord error) for a route.
 */
public final class FakeDiscord implements AutoCloseable {

    static final ObjectMapper JSON = FakeDiscordGateway.JSON;
    /** Discord's epoch for snowflakes (2015-01-01T00:00:00Z). */
    static final long DISCORD_EPOCH = 1420070400000L;
    /** VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_MESSAGE_HISTORY, SEND_MESSAGES_IN_THREADS. */
    static final long MEMBER_PERMISSIONS = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 15) | (1L << 16) | (1L << 38);
    static final long SEND_MESSAGES = 1L << 11;

    private static final Pattern API = Pattern.compile("/api/v10/(.*)");
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** A bot and its guild: ids of the guild, its text channel, an active thread in it, and a channel it may not send in. */
    public record Bot(String token, String id, String username, String guildId, String channelId, String threadId,
                      String readOnlyChannelId) {
    }

    /** A file uploaded with a message. */
    public record Upload(String field, String filename, String contentType, byte[] data) {
    }

    /** One REST request: the route after {@code /api/v10/}, the bot's token, the JSON (or a multipart's payload_json) and files. */
    public record Call(String method, String route, String token, Map<String, List<String>> headers, JsonNode json,
                       List<Upload> files, Instant receivedAt) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private record Scripted(String method, Pattern route, FakeResponse response) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final FakeDiscordGateway gateway;
    private final Map<String, Bot> bots = new ConcurrentHashMap<>();
    private final Map<String, String> dmChannels = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<Scripted> scripted = new ArrayList<>();

    private FakeDiscord() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the fake Discord", e);
        }
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "fake-discord-rest");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        gateway = new FakeDiscordGateway(token -> {
            Bot bot = bots.get(token);
            return bot == null ? null : user(bot.id(), bot.username(), true);
        }, token -> {
            Bot bot = bots.get(token);
            return bot == null ? List.of() : List.of(guildCreate(bot));
        });
    }

    public static FakeDiscord start() {
        return new FakeDiscord();
    }

    /** The base URL to configure as {@code apiBaseUrl}, such as {@code http://127.0.0.1:41234/}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public FakeDiscordGateway gateway() {
        return gateway;
    }

    /** A new bot with a token in Discord's format, a guild, a channel, a thread and a read-only channel. */
    public Bot newBot() {
        String id = snowflake();
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.US_ASCII))
                + ".GkTest." + UUID.randomUUID().toString().replace("-", "");
        Bot bot = new Bot(token, id, "gatekit-" + id.substring(id.length() - 4), snowflake(), snowflake(), snowflake(), snowflake());
        bots.put(token, bot);
        return bot;
    }

    /** A new snowflake, its time now. */
    public static String snowflake() {
        return Long.toUnsignedString(((System.currentTimeMillis() - DISCORD_EPOCH) << 22) | (SEQUENCE.incrementAndGet() & 0x3FFFFF));
    }

    /** Scripts the answer to the next request with this method whose route (after {@code /api/v10/}) matches. */
    public FakeDiscord failNext(String method, String routePattern, FakeResponse response) {
        synchronized (scripted) {
            scripted.add(new Scripted(method, Pattern.compile(routePattern), response));
        }
        return this;
    }

    /** Every REST call of one bot, in order. */
    public List<Call> calls(Bot bot) {
        return calls.stream().filter(call -> bot.token().equals(call.token())).toList();
    }

    /** One bot's calls with a method and a route matching a pattern. */
    public List<Call> calls(Bot bot, String method, String routePattern) {
        Pattern pattern = Pattern.compile(routePattern);
        return calls(bot).stream().filter(call -> call.method().equals(method) && pattern.matcher(call.route()).matches()).toList();
    }

    /** Waits until one bot has made at least {@code count} such calls, and returns them. */
    public List<Call> awaitCalls(Bot bot, String method, String routePattern, int count, Duration timeout) {
        Poll.until(timeout, () -> calls(bot, method, routePattern).size() >= count,
                count + " call(s) " + method + " " + routePattern + "; got " + calls(bot));
        return calls(bot, method, routePattern);
    }

    /** The DM channel id the fake gives a bot's DMs with a user. */
    public String dmChannelId(Bot bot, String userId) {
        return dmChannels.computeIfAbsent(bot.id() + ":" + userId, key -> snowflake());
    }

    @Override
    public void close() {
        gateway.close();
        server.stop(0);
        executor.shutdownNow();
    }

    // Discord's documented JSON.

    public static ObjectNode user(String id, String username, boolean bot) {
        ObjectNode user = JSON.createObjectNode().put("id", id).put("username", username).put("discriminator", "0")
                .put("global_name", bot ? null : username.substring(0, 1).toUpperCase(Locale.ROOT) + username.substring(1))
                .putNull("avatar").put("bot", bot).put("flags", 0).put("public_flags", 0);
        if (!bot) {
            user.remove("bot");
        }
        return user;
    }

    /** A Discord error answer: {@code {"code": code, "message": message}}. */
    public static FakeResponse error(int status, int code, String message) {
        return withDiscordHeaders(FakeResponse.json(status, JSON.createObjectNode().put("code", code).put("message", message).toString()));
    }

    /** Discord's 400 for a field it refuses, with the {@code errors} tree naming it. */
    public static FakeResponse invalidFormBody(String field, String errorCode, String message) {
        ObjectNode body = JSON.createObjectNode().put("code", 50035).put("message", "Invalid Form Body");
        body.putObject("errors").putObject(field).putArray("_errors").addObject().put("code", errorCode).put("message", message);
        return withDiscordHeaders(FakeResponse.json(400, body.toString()));
    }

    /** A 429 as Discord sends it: {@code Retry-After} and the bucket headers, and {@code retry_after} in the body. */
    public static FakeResponse rateLimited(double seconds, boolean global) {
        ObjectNode body = JSON.createObjectNode().put("message", "You are being rate limited.").put("retry_after", seconds).put("global", global);
        FakeResponse response = FakeResponse.json(429, body.toString())
                .withHeader("Retry-After", Long.toString((long) Math.ceil(seconds)))
                .withHeader("X-RateLimit-Limit", "5")
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset-After", String.format(Locale.ROOT, "%.3f", seconds))
                .withHeader("X-RateLimit-Reset", String.format(Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0 + seconds))
                .withHeader("X-RateLimit-Bucket", "fake-bucket-rate-limited")
                .withHeader("X-RateLimit-Scope", global ? "global" : "user")
                .withHeader("Via", "1.1 google");
        return global ? response.withHeader("X-RateLimit-Global", "true") : response;
    }

    /** The JSON the fake answers with: Discord's headers on every answer (JDA reads a 429 without {@code Via} as Cloudflare's). */
    static FakeResponse withDiscordHeaders(FakeResponse response) {
        return response.withHeader("Via", "1.1 google");
    }

    /** A guild text channel. */
    public static ObjectNode textChannel(String id, String guildId, String name, long denyEveryone) {
        ObjectNode channel = JSON.createObjectNode().put("id", id).put("type", 0).put("guild_id", guildId).put("name", name)
                .put("position", 0).put("nsfw", false).putNull("topic").putNull("last_message_id").put("rate_limit_per_user", 0)
                .putNull("parent_id").put("flags", 0);
        ArrayNode overwrites = channel.putArray("permission_overwrites");
        if (denyEveryone != 0) {
            overwrites.addObject().put("id", guildId).put("type", 0).put("allow", "0").put("deny", Long.toString(denyEveryone));
        }
        return channel;
    }

    /** The GUILD_CREATE of a bot's guild: its channels, an active thread, the @everyone role and the bot's member. */
    public static ObjectNode guildCreate(Bot bot) {
        ObjectNode guild = JSON.createObjectNode().put("id", bot.guildId()).put("name", "GateKit Test Guild").putNull("icon")
                .putNull("splash").putNull("discovery_splash").put("owner_id", "80351110224678912").putNull("afk_channel_id")
                .put("afk_timeout", 300).put("verification_level", 0).put("default_message_notifications", 1)
                .put("explicit_content_filter", 0).put("mfa_level", 0).putNull("application_id").putNull("system_channel_id")
                .put("system_channel_flags", 0).putNull("rules_channel_id").putNull("vanity_url_code").putNull("description")
                .putNull("banner").put("premium_tier", 0).put("premium_subscription_count", 0).put("preferred_locale", "en-US")
                .putNull("public_updates_channel_id").put("nsfw_level", 0).put("premium_progress_bar_enabled", false)
                .putNull("safety_alerts_channel_id").put("joined_at", DateTimeFormatter.ISO_INSTANT.format(Instant.now()))
                .put("large", false).put("unavailable", false).put("member_count", 2);
        guild.putArray("features");
        ObjectNode everyone = guild.putArray("roles").addObject().put("id", bot.guildId()).put("name", "@everyone").put("color", 0)
                .put("hoist", false).putNull("icon").putNull("unicode_emoji").put("position", 0)
                .put("permissions", Long.toString(MEMBER_PERMISSIONS)).put("managed", false).put("mentionable", false).put("flags", 0);
        everyone.putObject("colors").put("primary_color", 0).putNull("secondary_color").putNull("tertiary_color");
        guild.putArray("emojis");
        guild.putArray("stickers");
        guild.putArray("voice_states");
        guild.putArray("presences");
        guild.putArray("stage_instances");
        guild.putArray("guild_scheduled_events");
        guild.putArray("soundboard_sounds");
        ObjectNode member = guild.putArray("members").addObject();
        member.set("user", user(bot.id(), bot.username(), true));
        member.putNull("nick").putNull("avatar").putArray("roles");
        member.put("joined_at", DateTimeFormatter.ISO_INSTANT.format(Instant.now())).put("deaf", false).put("mute", false)
                .put("flags", 0).put("pending", false);
        ArrayNode channels = guild.putArray("channels");
        channels.add(textChannel(bot.channelId(), bot.guildId(), "general", 0));
        channels.add(textChannel(bot.readOnlyChannelId(), bot.guildId(), "announcements", SEND_MESSAGES));
        ObjectNode thread = guild.putArray("threads").addObject().put("id", bot.threadId()).put("type", 11)
                .put("guild_id", bot.guildId()).put("parent_id", bot.channelId()).put("owner_id", bot.id()).put("name", "a thread")
                .putNull("last_message_id").put("message_count", 0).put("member_count", 1).put("rate_limit_per_user", 0)
                .put("flags", 0).put("total_message_sent", 0);
        thread.putObject("thread_metadata").put("archived", false).put("auto_archive_duration", 1440)
                .put("archive_timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.now())).put("locked", false);
        return guild;
    }

    /** A MESSAGE_CREATE's data: a message by a person in a channel of the bot's guild, or in a DM when guildId is null. */
    public static ObjectNode message(String id, String channelId, String guildId, ObjectNode author, String content) {
        ObjectNode message = JSON.createObjectNode().put("id", id).put("channel_id", channelId).put("type", 0)
                .put("content", content).put("timestamp", DateTimeFormatter.ISO_INSTANT.format(snowflakeTime(id)))
                .putNull("edited_timestamp").put("tts", false).put("mention_everyone", false).put("pinned", false).put("flags", 0);
        if (guildId != null) {
            message.put("guild_id", guildId);
            ObjectNode member = message.putObject("member");
            member.putNull("nick").putArray("roles");
            member.put("joined_at", DateTimeFormatter.ISO_INSTANT.format(Instant.now())).put("deaf", false).put("mute", false);
        }
        message.set("author", author);
        message.putArray("mentions");
        message.putArray("mention_roles");
        message.putArray("attachments");
        message.putArray("embeds");
        message.putArray("components");
        return message;
    }

    public static Instant snowflakeTime(String id) {
        return Instant.ofEpochMilli((Long.parseUnsignedLong(id) >>> 22) + DISCORD_EPOCH);
    }

    // The REST API.

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            String method = exchange.getRequestMethod();
            Matcher api = API.matcher(exchange.getRequestURI().getPath());
            String route = api.matches() ? api.group(1) : exchange.getRequestURI().getPath();
            String authorization = headers.getOrDefault("authorization", List.of("")).get(0);
            String token = authorization.startsWith("Bot ") ? authorization.substring(4) : authorization;
            String contentType = headers.getOrDefault("content-type", List.of("")).get(0);
            List<Upload> files = new ArrayList<>();
            JsonNode json = body.length == 0 ? JSON.createObjectNode()
                    : contentType.startsWith("multipart/form-data") ? Multipart.parse(body, contentType, files) : JSON.readTree(body);
            calls.add(new Call(method, route, token, headers, json, List.copyOf(files), Instant.now()));
            reply(exchange, answer(method, route, token, json, files));
        } catch (IOException | RuntimeException e) {
            reply(exchange, error(500, 0, "500: Internal Server Error (fake: " + e + ")"));
        }
    }

    private FakeResponse answer(String method, String route, String token, JsonNode json, List<Upload> files) {
        synchronized (scripted) {
            for (Iterator<Scripted> it = scripted.iterator(); it.hasNext(); ) {
                Scripted rule = it.next();
                if (rule.method().equals(method) && rule.route().matcher(route).matches()) {
                    it.remove();
                    return rule.response();
                }
            }
        }
        Bot bot = bots.get(token);
        if (bot == null) {
            return error(401, 0, "401: Unauthorized");
        }
        if (method.equals("GET") && route.equals("users/@me")) {
            return ok(user(bot.id(), bot.username(), true));
        }
        if (method.equals("GET") && route.equals("gateway/bot")) {
            ObjectNode answer = JSON.createObjectNode().put("url", gateway.url()).put("shards", 1);
            answer.putObject("session_start_limit").put("total", 1000).put("remaining", 999).put("reset_after", 14_400_000)
                    .put("max_concurrency", 1);
            return ok(answer);
        }
        if (method.equals("POST") && route.equals("users/@me/channels")) {
            String recipient = json.path("recipient_id").asText();
            ObjectNode channel = JSON.createObjectNode().put("id", dmChannelId(bot, recipient)).put("type", 1).putNull("last_message_id")
                    .put("flags", 0);
            channel.putArray("recipients").add(user(recipient, "user" + recipient.substring(recipient.length() - 4), false));
            return ok(channel);
        }
        Matcher messages = Pattern.compile("channels/(\\d+)/messages").matcher(route);
        if (method.equals("POST") && messages.matches()) {
            return ok(created(bot, messages.group(1), json, files));
        }
        if (method.equals("POST") && route.matches("interactions/\\d+/[^/]+/callback")) {
            return withDiscordHeaders(FakeResponse.status(204));
        }
        return error(404, 0, "404: Not Found");
    }

    /** The message Discord creates: what was sent, with an id, the bot as author and the uploads as attachments. */
    private ObjectNode created(Bot bot, String channelId, JsonNode sent, List<Upload> files) {
        String id = snowflake();
        ObjectNode message = message(id, channelId, channelId.equals(bot.channelId()) || channelId.equals(bot.threadId()) ? bot.guildId() : null,
                user(bot.id(), bot.username(), true), sent.path("content").asText(""));
        message.remove("member");
        message.put("flags", sent.path("flags").asInt(0));
        if (sent.has("nonce")) {
            message.set("nonce", sent.get("nonce"));
        }
        if (sent.has("embeds")) {
            ArrayNode embeds = message.putArray("embeds");
            sent.get("embeds").forEach(embed -> embeds.add(((ObjectNode) embed.deepCopy()).put("type", "rich")));
        }
        if (sent.has("message_reference")) {
            message.set("message_reference", sent.get("message_reference"));
        }
        ArrayNode attachments = message.putArray("attachments");
        for (int i = 0; i < files.size(); i++) {
            Upload file = files.get(i);
            String attachmentId = snowflake();
            attachments.addObject().put("id", attachmentId).put("filename", file.filename()).put("size", file.data().length)
                    .put("url", "https://cdn.discordapp.com/attachments/" + channelId + "/" + attachmentId + "/" + file.filename())
                    .put("proxy_url", "https://media.discordapp.net/attachments/" + channelId + "/" + attachmentId + "/" + file.filename())
                    .put("content_type", file.contentType());
        }
        return message;
    }

    private static FakeResponse ok(JsonNode body) {
        return FakeResponse.json(200, body.toString())
                .withHeader("X-RateLimit-Limit", "5")
                .withHeader("X-RateLimit-Remaining", "4")
                .withHeader("X-RateLimit-Reset", String.format(Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0 + 1))
                .withHeader("X-RateLimit-Reset-After", "1.000")
                .withHeader("X-RateLimit-Bucket", "fake-bucket")
                .withHeader("Via", "1.1 google");
    }

    private static void reply(HttpExchange exchange, FakeResponse response) throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] body = response.body();
        boolean empty = body.length == 0 || response.status() == 204;
        exchange.sendResponseHeaders(response.status(), empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
