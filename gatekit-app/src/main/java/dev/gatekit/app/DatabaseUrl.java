package dev.gatekit.app;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A Postgres location in the forms users bring: {@code postgresql://user:pass@host:5432/db?sslmode=require}
 * (what the original GateKit and most hosts document), {@code postgres://…}, or a JDBC URL.
 */
public record DatabaseUrl(String jdbcUrl, String user, String password) {

    public static DatabaseUrl parse(String url) {
        String value = url.trim();
        if (value.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(value, null, null);
        }
        if (!value.startsWith("postgresql://") && !value.startsWith("postgres://")) {
            throw new IllegalArgumentException("DATABASE_URL must start with postgresql://, postgres:// or jdbc:postgresql:");
        }
        URI uri = URI.create(value.replaceFirst("^postgres(ql)?://", "http://"));
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL has no host");
        }
        String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : 5432) + "/" + database
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        return new DatabaseUrl(jdbc, user, password);
    }

    /** Host, port and database, without credentials, for log lines and error messages. */
    public String describe() {
        return jdbcUrl.replaceFirst("^jdbc:postgresql://", "").replaceFirst("\\?.*$", "");
    }

    @Override
    public String toString() {
        return "DatabaseUrl[" + describe() + ", user=" + user + "]";
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
