package dev.gatekit.plugin.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a platform is and what it takes: returned by {@link PlatformProvider#descriptor()}.
 * Build one with {@link #builder(String, String, String)}.
 *
 * @param id               the platform id used in the REST API and webhook URLs, such as
 *                         {@code discord}: lower-case letters, digits and {@code -}, starting
 *                         with a letter or digit, at most 32 characters; unique across plugins
 * @param displayName      a human name, such as {@code Discord}
 * @param version          the plugin's own version, such as {@code 1.2.0}
 * @param capabilities     what the platform can carry; never empty
 * @param credentialFields the secret fields (tokens, keys) a configuration takes
 * @param configFields     the non-secret settings a configuration takes
 * @param defaultLimits    the platform's published rate limits; {@link DeliveryLimits#DEFAULT}
 *                         when null is given
 * @param targetTypes      the target types the platform can deliver to; never empty
 * @param maxTextLength    the longest text, in characters, the platform accepts in one message
 * @param targetFormats    how ids of some target types look, checked by the host before it accepts
 *                         a message; empty when the platform declares none (since 1.3.0)
 */
public record PlatformDescriptor(
        String id,
        String displayName,
        String version,
        Set<Capability> capabilities,
        List<ConfigField> credentialFields,
        List<ConfigField> configFields,
        DeliveryLimits defaultLimits,
        Set<TargetType> targetTypes,
        int maxTextLength,
        Map<TargetType, TargetFormat> targetFormats) {

    /** The pattern every platform id matches. */
    public static final Pattern ID_PATTERN = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /**
     * Validates the descriptor and copies its collections.
     *
     * @throws IllegalArgumentException when the id is malformed, a name is blank, a set is empty,
     *                                  two fields share a name or the text length is not positive
     */
    public PlatformDescriptor {
        Objects.requireNonNull(id, "id");
        if (!ID_PATTERN.matcher(id).matches()) {
            throw new IllegalArgumentException("platform id must match " + ID_PATTERN + ": " + id);
        }
        Values.requireText(displayName, "displayName");
        Values.requireText(version, "version");
        if (capabilities == null || capabilities.isEmpty()) {
            throw new IllegalArgumentException("capabilities must not be empty");
        }
        capabilities = Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
        credentialFields = Values.list(credentialFields, "credentialFields");
        configFields = Values.list(configFields, "configFields");
        Set<String> names = new HashSet<>();
        for (ConfigField field : credentialFields) {
            if (!names.add(field.name())) {
                throw new IllegalArgumentException("duplicate config field name: " + field.name());
            }
        }
        for (ConfigField field : configFields) {
            if (!names.add(field.name())) {
                throw new IllegalArgumentException("duplicate config field name: " + field.name());
            }
        }
        defaultLimits = defaultLimits == null ? DeliveryLimits.DEFAULT : defaultLimits;
        if (targetTypes == null || targetTypes.isEmpty()) {
            throw new IllegalArgumentException("targetTypes must not be empty");
        }
        targetTypes = Collections.unmodifiableSet(EnumSet.copyOf(targetTypes));
        if (maxTextLength <= 0) {
            throw new IllegalArgumentException("maxTextLength must be positive: " + maxTextLength);
        }
        targetFormats = targetFormats == null ? Map.of() : Map.copyOf(targetFormats);
        for (TargetType type : targetFormats.keySet()) {
            if (!targetTypes.contains(type)) {
                throw new IllegalArgumentException("a target format is declared for " + type + ", which is not a target type");
            }
        }
    }

    /**
     * The descriptor of a plugin built against API 1.2 or earlier, with no target formats.
     *
     * @throws IllegalArgumentException as the canonical constructor
     */
    public PlatformDescriptor(String id, String displayName, String version, Set<Capability> capabilities,
                              List<ConfigField> credentialFields, List<ConfigField> configFields, DeliveryLimits defaultLimits,
                              Set<TargetType> targetTypes, int maxTextLength) {
        this(id, displayName, version, capabilities, credentialFields, configFields, defaultLimits, targetTypes, maxTextLength,
                Map.of());
    }

    /**
     * Tells whether the platform declares a capability.
     *
     * @param capability the capability
     * @return true when it is in {@link #capabilities()}
     */
    public boolean supports(Capability capability) {
        return capabilities.contains(capability);
    }

    /**
     * All fields, credentials first, then settings.
     *
     * @return an immutable list
     */
    public List<ConfigField> allFields() {
        List<ConfigField> all = new ArrayList<>(credentialFields);
        all.addAll(configFields);
        return List.copyOf(all);
    }

    /**
     * Starts a descriptor. Defaults: capability {@link Capability#TEXT}, no fields,
     * {@link DeliveryLimits#DEFAULT}, every {@link TargetType}, 4000 characters.
     *
     * @param id          the platform id
     * @param displayName the human name
     * @param version     the plugin version
     * @return a builder
     */
    public static Builder builder(String id, String displayName, String version) {
        return new Builder(id, displayName, version);
    }

    /** Builds a {@link PlatformDescriptor} step by step. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final String displayName;
        private final String version;
        private final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
        private final List<ConfigField> credentialFields = new ArrayList<>();
        private final List<ConfigField> configFields = new ArrayList<>();
        private DeliveryLimits limits = DeliveryLimits.DEFAULT;
        private Set<TargetType> targetTypes = EnumSet.allOf(TargetType.class);
        private int maxTextLength = 4000;
        private final Map<TargetType, TargetFormat> targetFormats = new EnumMap<>(TargetType.class);

        private Builder(String id, String displayName, String version) {
            this.id = id;
            this.displayName = displayName;
            this.version = version;
        }

        /**
         * Adds capabilities.
         *
         * @param values the capabilities to add
         * @return this builder
         */
        public Builder capabilities(Capability... values) {
            capabilities.addAll(List.of(values));
            return this;
        }

        /**
         * Adds credential fields (secrets such as tokens).
         *
         * @param fields the fields to add
         * @return this builder
         */
        public Builder credentialFields(ConfigField... fields) {
            credentialFields.addAll(List.of(fields));
            return this;
        }

        /**
         * Adds non-secret settings.
         *
         * @param fields the fields to add
         * @return this builder
         */
        public Builder configFields(ConfigField... fields) {
            configFields.addAll(List.of(fields));
            return this;
        }

        /**
         * Sets the platform's default rate limits.
         *
         * @param value the limits
         * @return this builder
         */
        public Builder defaultLimits(DeliveryLimits value) {
            limits = value;
            return this;
        }

        /**
         * Sets the target types the platform delivers to, replacing the default of all of them.
         *
         * @param values the target types
         * @return this builder
         */
        public Builder targetTypes(TargetType... values) {
            targetTypes = values.length == 0 ? EnumSet.noneOf(TargetType.class) : EnumSet.copyOf(List.of(values));
            return this;
        }

        /**
         * Sets the longest text the platform accepts.
         *
         * @param value the length in characters
         * @return this builder
         */
        public Builder maxTextLength(int value) {
            maxTextLength = value;
            return this;
        }

        /**
         * Declares how ids of one target type look; the host refuses a message whose target does
         * not match before it is queued.
         *
         * @param type        the target type, one of {@link #targetTypes}
         * @param pattern     what the whole id matches
         * @param description what a valid id is, for the error
         * @return this builder
         * @since 1.3.0
         */
        public Builder targetFormat(TargetType type, Pattern pattern, String description) {
            targetFormats.put(Objects.requireNonNull(type, "type"), new TargetFormat(pattern, description));
            return this;
        }

        /**
         * Builds and validates the descriptor; at least {@link Capability#TEXT} is declared.
         *
         * @return the descriptor
         * @throws IllegalArgumentException as {@link PlatformDescriptor}'s constructor
         */
        public PlatformDescriptor build() {
            Set<Capability> caps = capabilities.isEmpty() ? EnumSet.of(Capability.TEXT) : capabilities;
            return new PlatformDescriptor(id, displayName, version, caps, credentialFields, configFields,
                    limits, targetTypes, maxTextLength, targetFormats);
        }
    }
}
