package dev.gatekit.plugin.api;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One field a platform configuration takes, either a credential or a setting (see
 * {@link PlatformDescriptor#credentialFields()} and {@link PlatformDescriptor#configFields()}).
 *
 * @param name        the key in {@link PlatformConfiguration#credentials()} or
 *                    {@link PlatformConfiguration#settings()}, such as {@code botToken};
 *                    letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter
 * @param type        how the value is validated and rendered
 * @param secret      true when the value must be encrypted at rest and masked everywhere; always
 *                    true for {@link FieldType#SECRET}
 * @param required    true when a configuration without this field is refused
 * @param description one line for the person filling the field in
 * @param aliases     other names a caller may send the value under (since 1.3.0), such as the
 *                    original GateKit's {@code token} for {@code botToken}; the host stores and hands
 *                    the plugin the value under {@link #name()} only
 */
public record ConfigField(String name, FieldType type, boolean secret, boolean required, String description,
                          List<String> aliases) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    /**
     * Validates the field.
     *
     * @throws IllegalArgumentException when the name is malformed, or when a {@link FieldType#SECRET}
     *                                  field is not marked secret
     */
    public ConfigField {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("config field name must match " + NAME + ": " + name);
        }
        Objects.requireNonNull(type, "type");
        if (type == FieldType.SECRET && !secret) {
            throw new IllegalArgumentException("a SECRET field must be secret: " + name);
        }
        description = description == null ? "" : description;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        for (String alias : aliases) {
            if (!NAME.matcher(alias).matches() || alias.equals(name)) {
                throw new IllegalArgumentException("alias of " + name + " must match " + NAME + " and differ from the name: " + alias);
            }
        }
    }

    /**
     * A field without aliases, as before API 1.3.0.
     *
     * @param name        the field name
     * @param type        the value type
     * @param secret      whether the value is encrypted at rest and masked
     * @param required    whether a configuration without it is refused
     * @param description one line for the person filling it in
     */
    public ConfigField(String name, FieldType type, boolean secret, boolean required, String description) {
        this(name, type, secret, required, description, List.of());
    }

    /**
     * This field, also accepted under other names (since 1.3.0).
     *
     * @param otherNames the names a caller may send instead of {@link #name()}
     * @return the field with those aliases
     */
    public ConfigField withAliases(String... otherNames) {
        return new ConfigField(name, type, secret, required, description, List.of(otherNames));
    }

    /**
     * A required secret field, such as a bot token or signing secret.
     *
     * @param name        the field name
     * @param description one line for the person filling it in
     * @return the field
     */
    public static ConfigField secret(String name, String description) {
        return new ConfigField(name, FieldType.SECRET, true, true, description);
    }

    /**
     * An optional secret field.
     *
     * @param name        the field name
     * @param description one line for the person filling it in
     * @return the field
     */
    public static ConfigField optionalSecret(String name, String description) {
        return new ConfigField(name, FieldType.SECRET, true, false, description);
    }

    /**
     * A required, non-secret field.
     *
     * @param name        the field name
     * @param type        the value type; use {@link #secret} for secrets
     * @param description one line for the person filling it in
     * @return the field
     */
    public static ConfigField required(String name, FieldType type, String description) {
        return new ConfigField(name, type, type == FieldType.SECRET, true, description);
    }

    /**
     * An optional, non-secret field.
     *
     * @param name        the field name
     * @param type        the value type; use {@link #optionalSecret} for secrets
     * @param description one line for the person filling it in
     * @return the field
     */
    public static ConfigField optional(String name, FieldType type, String description) {
        return new ConfigField(name, type, type == FieldType.SECRET, false, description);
    }
}
