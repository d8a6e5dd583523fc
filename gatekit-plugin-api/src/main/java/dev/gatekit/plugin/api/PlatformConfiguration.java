package dev.gatekit.plugin.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One project's configuration of a platform, as the host hands it to a plugin.
 *
 * <p>{@link #toString()} masks every credential value, so a configuration may be logged safely;
 * never log {@link #credentials()} itself.
 *
 * @param configurationId the host's id of this configuration
 * @param projectId       the id of the project that owns it
 * @param credentials     the secret fields, already decrypted; null values are dropped
 * @param settings        the non-secret fields; null values are dropped
 * @param testMode        true when the configuration belongs to a test API key: a plugin may
 *                        talk to a sandbox, or behave as usual
 */
public record PlatformConfiguration(
        String configurationId,
        String projectId,
        Map<String, String> credentials,
        Map<String, String> settings,
        boolean testMode) {

    /**
     * Validates the ids and copies the maps.
     *
     * @throws NullPointerException when an id is null
     */
    public PlatformConfiguration {
        Objects.requireNonNull(configurationId, "configurationId");
        Objects.requireNonNull(projectId, "projectId");
        credentials = Values.map(credentials);
        settings = Values.map(settings);
    }

    /**
     * Looks up a credential.
     *
     * @param name the field name
     * @return the value, or empty when absent or blank
     */
    public Optional<String> credential(String name) {
        return Optional.ofNullable(credentials.get(name)).filter(value -> !value.isBlank());
    }

    /**
     * Looks up a setting.
     *
     * @param name the field name
     * @return the value, or empty when absent or blank
     */
    public Optional<String> setting(String name) {
        return Optional.ofNullable(settings.get(name)).filter(value -> !value.isBlank());
    }

    /**
     * Returns a credential that must be present.
     *
     * @param name the field name
     * @return the non-blank value
     * @throws InvalidConfigurationException naming the field when it is absent or blank
     */
    public String requireCredential(String name) throws InvalidConfigurationException {
        return credential(name).orElseThrow(
                () -> new InvalidConfigurationException(name, "missing required credential '" + name + "'"));
    }

    /**
     * Returns a setting that must be present.
     *
     * @param name the field name
     * @return the non-blank value
     * @throws InvalidConfigurationException naming the field when it is absent or blank
     */
    public String requireSetting(String name) throws InvalidConfigurationException {
        return setting(name).orElseThrow(
                () -> new InvalidConfigurationException(name, "missing required setting '" + name + "'"));
    }

    /**
     * Describes the configuration with every credential value replaced by {@code ****}.
     *
     * @return a string safe to log
     */
    @Override
    public String toString() {
        StringBuilder masked = new StringBuilder("{");
        credentials.keySet().forEach(key -> {
            if (masked.length() > 1) {
                masked.append(", ");
            }
            masked.append(key).append("=****");
        });
        masked.append('}');
        return "PlatformConfiguration[configurationId=" + configurationId + ", projectId=" + projectId
                + ", credentials=" + masked + ", settings=" + settings + ", testMode=" + testMode + "]";
    }
}
