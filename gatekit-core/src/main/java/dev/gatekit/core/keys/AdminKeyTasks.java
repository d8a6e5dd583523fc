package dev.gatekit.core.keys;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code list-admin-keys} and {@code revoke-admin-key?id=…} on the admin port: admin keys belong to
 * no project, so the project API cannot list or revoke them.
 */
public final class AdminKeyTasks {

    private AdminKeyTasks() {
    }

    public static List<Task> all(ApiKeyService keys, Clock clock) {
        return List.of(new ListAdminKeys(keys, clock), new RevokeAdminKey(keys, clock));
    }

    private static String describe(ApiKey key, Clock clock) {
        return key.id() + " " + key.masked() + " " + key.name() + " " + key.status(clock.instant()).name().toLowerCase(java.util.Locale.ROOT)
                + " created " + key.createdAt() + (key.lastUsedAt() == null ? "" : " last used " + key.lastUsedAt());
    }

    static final class ListAdminKeys extends Task {
        private final ApiKeyService keys;
        private final Clock clock;

        ListAdminKeys(ApiKeyService keys, Clock clock) {
            super("list-admin-keys");
            this.keys = keys;
            this.clock = clock;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            keys.listAdminKeys().forEach(key -> output.println(describe(key, clock)));
        }
    }

    static final class RevokeAdminKey extends Task {
        private final ApiKeyService keys;
        private final Clock clock;

        RevokeAdminKey(ApiKeyService keys, Clock clock) {
            super("revoke-admin-key");
            this.keys = keys;
            this.clock = clock;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            List<String> ids = parameters.getOrDefault("id", List.of());
            UUID id;
            try {
                id = UUID.fromString(ids.isEmpty() ? "" : ids.get(0));
            } catch (IllegalArgumentException e) {
                output.println("usage: revoke-admin-key?id=<key id from list-admin-keys>");
                return;
            }
            output.println(keys.revokeAdminKey(id).map(key -> "revoked " + describe(key, clock)).orElse("no admin key " + id));
        }
    }
}
