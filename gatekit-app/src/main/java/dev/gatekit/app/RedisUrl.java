package dev.gatekit.app;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.redisson.config.Config;

/** {@code redis://[user][:password]@host:port[/db]} or {@code rediss://…} for TLS, as the original documents it. */
public record RedisUrl(String address, String username, String password, int database) {

    public static RedisUrl parse(String url) {
        URI uri = URI.create(url.trim());
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("REDIS_URL must start with redis:// or rediss://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("REDIS_URL has no host");
        }
        String username = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            username = parts[0].isEmpty() ? null : decode(parts[0]);
            password = parts.length > 1 && !parts[1].isEmpty() ? decode(parts[1]) : null;
        }
        int database = uri.getPath() == null || uri.getPath().length() <= 1 ? 0 : Integer.parseInt(uri.getPath().substring(1));
        String address = uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 6379);
        return new RedisUrl(address, username, password, database);
    }

    public Config toRedissonConfig() {
        Config config = new Config();
        config.useSingleServer()
                .setAddress(address)
                .setUsername(username)
                .setPassword(password)
                .setDatabase(database)
                .setConnectTimeout(3_000)
                .setTimeout(2_000)
                .setRetryAttempts(1);
        return config;
    }

    @Override
    public String toString() {
        return "RedisUrl[" + address + "/" + database + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
