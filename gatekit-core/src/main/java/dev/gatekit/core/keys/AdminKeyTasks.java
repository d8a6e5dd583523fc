package dev.gatekit.core.keys;

import dev.gatekit.core.admin.AdminTask;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The operators' key tasks on the admin port. Admin keys belong to no project, so these are the
 * only way to make, list and revoke them; there are no default credentials.
 */
public final class AdminKeyTasks {

    private AdminKeyTasks() {
    }

    public static List<AdminTask> all(ApiKeyService keys, Clock clock) {
        return List.of(
                // POST /tasks/mint-admin-key?name=ops: prints the new key alone, so KEY=$(curl …) works.
                new AdminTask("mint-admin-key", (parameters, output) ->
                        output.println(keys.mintAdminKey(parameters.get("name").orElse("admin"), "admin-task").secret())),
                new AdminTask("list-admin-keys", (parameters, output) ->
                        keys.listAdminKeys().forEach(key -> output.println(describe(key, clock)))),
                // POST /tasks/revoke-admin-key?id=<id from list-admin-keys>: at once, on every instance.
                new AdminTask("revoke-admin-key", (parameters, output) -> {
                    UUID id = parameters.requiredUuid("id", "<key id from list-admin-keys>");
                    output.println(keys.revokeAdminKey(id).map(key -> "revoked " + describe(key, clock)).orElse("no admin key " + id));
                }));
    }

    private static String describe(ApiKey key, Clock clock) {
        return key.id() + " " + key.masked() + " " + key.name() + " " + key.status(clock.instant()).name().toLowerCase(Locale.ROOT)
                + " created " + key.createdAt() + (key.lastUsedAt() == null ? "" : " last used " + key.lastUsedAt());
    }
}
