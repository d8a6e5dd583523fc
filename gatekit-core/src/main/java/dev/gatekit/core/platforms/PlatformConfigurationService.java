package dev.gatekit.core.platforms;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatekit.core.crypto.CredentialCipher;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.http.OutboundAddresses;
import dev.gatekit.core.json.Json;
import dev.gatekit.core.plugins.LoadedPlatform;
import dev.gatekit.core.plugins.PlatformLease;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.redis.InvalidationBus;
import dev.gatekit.plugin.api.ConfigField;
import dev.gatekit.plugin.api.DeliveryLimits;
import dev.gatekit.plugin.api.FieldType;
import dev.gatekit.plugin.api.InvalidConfigurationException;
import dev.gatekit.plugin.api.PlatformConfiguration;
import dev.gatekit.plugin.api.PlatformDescriptor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Platform configurations per project: checked against the plugin's descriptor and, live, by the
 * plugin; credentials sealed with the {@link CredentialCipher} and never returned or logged in clear.
 */
public class PlatformConfigurationService {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformConfigurationService.class);
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final String MASK = "••••";
    /** Only values at least this long show their last 4 characters when masked. */
    private static final int MIN_LENGTH_TO_SHOW_SUFFIX = 24;
    private static final int MAX_NAME_LENGTH = 200;
    /** How long an instance may use a configuration it did not hear change (when Redis could not tell it). */
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final PlatformConfigurationDao dao;
    private final CredentialCipher cipher;
    private final PlatformRegistry registry;
    private final PlatformContexts contexts;
    private final PlatformClients clients;
    private final Clock clock;
    private final boolean allowPrivateAddresses;
    private final InvalidationBus invalidations;
    /** Read on every send and every delivery; cleared on every instance when a configuration changes. */
    private final Cache<UUID, Optional<StoredPlatformConfiguration>> byId = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterWrite(CACHE_TTL).build();
    private final Cache<UUID, List<StoredPlatformConfiguration>> byProject = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();

    /** The configuration setting that lets platform URLs point at private addresses. */
    /** How an operator allows private addresses: the environment variable most set, and the config.yml key. */
    public static final String ALLOW_PRIVATE_SETTING = "GATEKIT_ALLOW_PRIVATE_ADDRESSES=true (plugins.allowPrivateAddresses in config.yml)";

    /**
     * @param allowPrivateAddresses whether a platform's URLs ({@code url}, {@code apiBaseUrl}) may point at
     *                              loopback or private addresses (tests, self-hosted platform servers)
     */
    public PlatformConfigurationService(Jdbi jdbi, CredentialCipher cipher, PlatformRegistry registry, PlatformContexts contexts,
                                        PlatformClients clients, InvalidationBus invalidations, Clock clock,
                                        boolean allowPrivateAddresses) {
        this.dao = jdbi.onDemand(PlatformConfigurationDao.class);
        this.cipher = cipher;
        this.registry = registry;
        this.contexts = contexts;
        this.clients = clients;
        this.clock = clock;
        this.allowPrivateAddresses = allowPrivateAddresses;
        this.invalidations = invalidations;
        invalidations.subscribe(InvalidationBus.Topic.CONFIGURATIONS, this::forget);
    }

    /**
     * A change announced as {@code <configuration id>/<project id>}, on every instance: drops the
     * cached rows, closes the open client, and tells the saved listener (which reopens held connections).
     */
    private void forget(String change) {
        int slash = change.indexOf('/');
        UUID configurationId = UUID.fromString(change.substring(0, slash));
        byId.invalidate(configurationId);
        byProject.invalidate(UUID.fromString(change.substring(slash + 1)));
        clients.evict(configurationId);
        dao.findById(configurationId).ifPresent(savedListener);
    }

    private void announceChange(StoredPlatformConfiguration changed) {
        invalidations.announce(InvalidationBus.Topic.CONFIGURATIONS, changed.id() + "/" + changed.projectId());
    }

    private volatile java.util.function.Consumer<StoredPlatformConfiguration> savedListener = saved -> { };

    /** Hears each configuration created or changed, after it is stored (held connections open their client then). */
    public void setSavedListener(java.util.function.Consumer<StoredPlatformConfiguration> listener) {
        this.savedListener = listener;
    }

    /** Every active configuration of a platform, for opening the connections its plugin holds. */
    public List<StoredPlatformConfiguration> activeForPlatform(String platform) {
        return dao.listActiveForPlatform(platform);
    }

    public List<StoredPlatformConfiguration> list(Project project) {
        return byProject.get(project.id(), dao::listForProject);
    }

    /**
     * The configuration a path names: its id, or the platform's name when the project has exactly one
     * configuration of it. 404 when none; 409 listing the ids when the name is ambiguous.
     */
    public StoredPlatformConfiguration resolve(Project project, String reference) {
        Optional<UUID> id = parseUuid(reference);
        if (id.isPresent()) {
            return find(id.get()).filter(c -> c.projectId().equals(project.id()))
                    .orElseThrow(() -> ApiException.notFound("Platform configuration '" + reference + "' not found"));
        }
        List<StoredPlatformConfiguration> configured = list(project);
        List<StoredPlatformConfiguration> matches = configured.stream()
                .filter(c -> c.platform().equals(reference)).toList();
        if (matches.isEmpty()) {
            String known = configured.stream().map(StoredPlatformConfiguration::platform).distinct().sorted()
                    .collect(java.util.stream.Collectors.joining(", "));
            throw ApiException.notFound("Platform configuration '" + reference + "' not found; this project configures "
                    + (known.isEmpty() ? "no platform yet" : known) + " (loaded platforms: " + registry.describeLoaded() + ")");
        }
        if (matches.size() > 1) {
            List<String> ids = matches.stream().map(c -> c.id().toString()).toList();
            throw new ApiException(409, "ambiguous_platform", "The project has " + matches.size() + " '" + reference
                    + "' configurations; name one by id: " + String.join(", ", ids),
                    matches.stream().map(c -> new ErrorDetail("platform", c.id() + " (" + c.name() + ")")).toList());
        }
        return matches.get(0);
    }

    public StoredPlatformConfiguration create(Project project, CreatePlatformConfigurationRequest request) {
        if (request.platform() == null || request.platform().isBlank()) {
            throw ApiException.invalid("platform", "required");
        }
        String platform = request.platform().trim();
        String name = name(request.name(), platform);
        LimitOverrides limits = request.limits() == null ? LimitOverrides.NONE : request.limits();
        UUID id = UUID.randomUUID();
        UUID token = UUID.randomUUID();
        try (PlatformLease lease = leaseForValidation(platform)) {
            List<ErrorDetail> errors = new ArrayList<>();
            Map<String, String> credentials = merge("credentials", Map.of(),
                    underCanonicalNames("credentials", lease.descriptor().credentialFields(), request.credentials(), errors), errors);
            Map<String, String> settings = merge("config", Map.of(),
                    underCanonicalNames("config", lease.descriptor().configFields(), request.config(), errors), errors);
            checkAgainstDescriptor(lease.descriptor(), credentials, settings, errors);
            checkLimits(limits, lease.descriptor().defaultLimits(), errors);
            if (!errors.isEmpty()) {
                throw ApiException.invalid(errors);
            }
            boolean testMode = Boolean.TRUE.equals(request.testMode());
            validateLive(lease, new PlatformConfiguration(id.toString(), project.id().toString(), credentials, settings, testMode),
                    contexts.forConfiguration(id, platform, token, settings.get(PlatformContexts.API_BASE_URL_SETTING)));
            Instant now = clock.instant();
            StoredPlatformConfiguration stored = new StoredPlatformConfiguration(id, project.id(), platform, name,
                    seal(credentials), settings, token, request.isActive() == null || request.isActive(), testMode, limits, now, now);
            dao.insert(stored);
            announceChange(stored);
            LOG.info("Project {} configured platform '{}' as {}", project.slug(), platform, id);
            return stored;
        }
    }

    public StoredPlatformConfiguration update(Project project, String reference, UpdatePlatformConfigurationRequest change) {
        StoredPlatformConfiguration current = resolve(project, reference);
        List<ErrorDetail> errors = new ArrayList<>();
        String name = change.name() == null ? current.name() : name(change.name(), current.platform());
        LimitOverrides limits = change.limits() == null ? current.limits() : change.limits();
        boolean testMode = change.testMode() == null ? current.testMode() : change.testMode();
        String ciphertext = current.credentialsCiphertext();
        Map<String, String> settings = current.settings();
        if (change.credentials() != null || change.config() != null || change.limits() != null) {
            Optional<PlatformLease> maybeLease = registry.tryAcquire(current.platform());
            if (maybeLease.isEmpty() && (change.credentials() != null || change.config() != null)) {
                throw ApiException.invalid("platform", "no loaded plugin serves platform '" + current.platform()
                        + "', so its credentials and config cannot be validated; load the plugin first (loaded: "
                        + registry.describeLoaded() + ")");
            }
            try (PlatformLease lease = maybeLease.orElse(null)) {
                if (change.credentials() != null || change.config() != null) {
                    Map<String, String> credentials = merge("credentials", open(current),
                            underCanonicalNames("credentials", lease.descriptor().credentialFields(), change.credentials(), errors), errors);
                    settings = merge("config", current.settings(),
                            underCanonicalNames("config", lease.descriptor().configFields(), change.config(), errors), errors);
                    checkAgainstDescriptor(lease.descriptor(), credentials, settings, errors);
                    if (errors.isEmpty()) {
                        validateLive(lease, new PlatformConfiguration(current.id().toString(), project.id().toString(),
                                credentials, settings, testMode), contexts.forConfiguration(current.id(), current.platform(),
                                current.webhookToken(), settings.get(PlatformContexts.API_BASE_URL_SETTING)));
                        ciphertext = seal(credentials);
                    }
                }
                checkLimits(limits, lease == null ? DeliveryLimits.DEFAULT : lease.descriptor().defaultLimits(), errors);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        UUID token = Boolean.TRUE.equals(change.rollWebhookToken()) ? UUID.randomUUID() : current.webhookToken();
        StoredPlatformConfiguration updated = new StoredPlatformConfiguration(current.id(), current.projectId(), current.platform(),
                name, ciphertext, settings, token, change.isActive() == null ? current.isActive() : change.isActive(), testMode,
                limits, current.createdAt(), clock.instant());
        dao.update(updated);
        announceChange(updated);
        return updated;
    }

    public StoredPlatformConfiguration delete(Project project, String reference) {
        StoredPlatformConfiguration current = resolve(project, reference);
        dao.delete(current.id());
        announceChange(current);
        LOG.info("Project {} removed platform configuration {} ('{}')", project.slug(), current.id(), current.platform());
        notifyRemoved(current);
        return current;
    }

    /** Lets the plugin undo what it set up on the platform (a registered webhook, say); never fails the delete. */
    private void notifyRemoved(StoredPlatformConfiguration removed) {
        Optional<PlatformLease> maybeLease = registry.tryAcquire(removed.platform());
        if (maybeLease.isEmpty()) {
            LOG.info("No loaded plugin serves platform '{}'; configuration {} was removed without telling the platform",
                    removed.platform(), removed.id());
            return;
        }
        try (PlatformLease lease = maybeLease.get()) {
            lease.provider().configurationRemoved(decrypt(removed), contexts.forConfiguration(removed));
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Plugin '{}' failed to clean up after removed configuration {}: {}", removed.platform(), removed.id(),
                    e.getClass().getName());
        }
    }

    /**
     * The configuration decrypted for opening a client, refused when it lacks a credential or
     * setting the plugin now requires (a newer version of it added one).
     */
    public PlatformConfiguration decryptComplete(StoredPlatformConfiguration stored, PlatformDescriptor descriptor) {
        PlatformConfiguration configuration = decrypt(stored);
        List<String> missing = missingRequired(configuration, descriptor);
        if (!missing.isEmpty()) {
            throw new IncompleteConfigurationException(stored.platform(), missing);
        }
        return configuration;
    }

    /** Required settings the stored configuration lacks ({@code config.<name>}): no decryption, cheap enough for every send. */
    public static List<String> missingSettings(StoredPlatformConfiguration stored, PlatformDescriptor descriptor) {
        return missing("config", descriptor.configFields(), stored.settings());
    }

    /** Every required credential and setting the configuration lacks, as {@code credentials.<name>} or {@code config.<name>}. */
    public static List<String> missingRequired(PlatformConfiguration configuration, PlatformDescriptor descriptor) {
        List<String> missing = new ArrayList<>(missing("credentials", descriptor.credentialFields(), configuration.credentials()));
        missing.addAll(missing("config", descriptor.configFields(), configuration.settings()));
        return missing;
    }

    private static List<String> missing(String prefix, List<ConfigField> fields, Map<String, String> values) {
        List<String> missing = new ArrayList<>();
        for (ConfigField field : fields) {
            String value = values.get(field.name());
            if (field.required() && (value == null || value.isBlank())) {
                missing.add(prefix + "." + field.name());
            }
        }
        return missing;
    }

    public PlatformConfiguration decrypt(StoredPlatformConfiguration stored) {
        return new PlatformConfiguration(stored.id().toString(), stored.projectId().toString(), open(stored), stored.settings(),
                stored.testMode());
    }

    public Optional<StoredPlatformConfiguration> find(UUID configurationId) {
        return byId.get(configurationId, dao::findById);
    }

    /** For inbound webhooks: the configuration a URL's platform and token name. */
    public Optional<StoredPlatformConfiguration> findByWebhookToken(String platform, UUID token) {
        return dao.findByWebhookToken(platform, token);
    }

    public URI webhookUrl(StoredPlatformConfiguration stored) {
        return contexts.webhookUrl(stored.platform(), stored.webhookToken());
    }

    public PlatformConfigurationView view(StoredPlatformConfiguration stored) {
        Optional<LoadedPlatform> platform = registry.find(stored.platform());
        Map<String, String> credentials = open(stored);
        Map<String, String> masked = new TreeMap<>();
        credentials.forEach((field, value) -> masked.put(field, mask(value)));
        DeliveryLimits effective = platform.map(p -> stored.limits().over(p.descriptor().defaultLimits())).orElse(null);
        return new PlatformConfigurationView(stored.id(), stored.platform(), stored.name(), platform.isPresent(), stored.isActive(),
                stored.testMode(), !credentials.isEmpty(), masked, new TreeMap<>(stored.settings()), stored.limits(), effective,
                stored.createdAt(), stored.updatedAt());
    }

    /** Seals every configuration's credentials again with the current key; returns how many rows changed. */
    public RotationResult rotateEncryptionKey() {
        int total = 0;
        int changed = 0;
        for (UUID id : dao.allIds()) {
            Optional<StoredPlatformConfiguration> row = dao.findById(id);
            if (row.isEmpty()) {
                continue;
            }
            total++;
            String previous = row.get().credentialsCiphertext();
            if (cipher.needsReencryption(previous)) {
                changed += dao.reseal(id, previous, cipher.encrypt(cipher.decrypt(previous)));
            }
        }
        return new RotationResult(total, changed, cipher.currentKeyId());
    }

    public record RotationResult(int configurations, int reencrypted, String keyId) {
    }

    static String mask(String value) {
        if (value == null || value.length() < MIN_LENGTH_TO_SHOW_SUFFIX) {
            return MASK;
        }
        return MASK + value.substring(value.length() - 4);
    }

    private PlatformLease leaseForValidation(String platform) {
        return registry.tryAcquire(platform).orElseThrow(() -> ApiException.invalid("platform",
                "no loaded plugin serves platform '" + platform + "', so its configuration cannot be validated; loaded: "
                        + registry.describeLoaded()));
    }

    private static void validateLive(PlatformLease lease, PlatformConfiguration configuration,
                                     dev.gatekit.plugin.api.PlatformContext context) {
        PlatformDescriptor descriptor = lease.descriptor();
        try {
            lease.provider().validateCredentials(configuration, context);
        } catch (InvalidConfigurationException e) {
            throw ApiException.invalid(fieldPath(descriptor, e.field()), e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Plugin '{}' failed while validating configuration {}: {}", lease.platform().pluginId(),
                    configuration.configurationId(), e.getClass().getName());
            throw ApiException.invalid("credentials", "the platform plugin could not validate this configuration");
        }
    }

    private static String fieldPath(PlatformDescriptor descriptor, String field) {
        if (field == null) {
            return "credentials";
        }
        boolean isCredential = descriptor.credentialFields().stream().anyMatch(f -> f.name().equals(field));
        return (isCredential ? "credentials." : "config.") + field;
    }

    private void checkAgainstDescriptor(PlatformDescriptor descriptor, Map<String, String> credentials,
                                        Map<String, String> settings, List<ErrorDetail> errors) {
        check("credentials", descriptor.credentialFields(), credentials, List.of(), errors);
        check("config", descriptor.configFields(), settings, List.of(PlatformContexts.API_BASE_URL_SETTING), errors);
        String apiBase = settings.get(PlatformContexts.API_BASE_URL_SETTING);
        if (apiBase != null) {
            checkUrl("config." + PlatformContexts.API_BASE_URL_SETTING, apiBase, errors);
        }
    }

    /**
     * Checks a stored configuration's URLs again right before GateKit calls them: a host that was
     * public when saved may resolve to a private address now (DNS rebinding), or the row predates
     * the policy. The plugin's connections are checked again when they open (the context's address
     * policy), which also covers the paths without this check (configurationRemoved, inbound webhooks).
     */
    public Optional<String> unsafeAddress(StoredPlatformConfiguration stored, PlatformDescriptor descriptor) {
        List<ErrorDetail> problems = new ArrayList<>();
        for (ConfigField field : descriptor.configFields()) {
            String value = stored.settings().get(field.name());
            if (field.type() == FieldType.URL && value != null && !value.isBlank()) {
                checkUrl("config." + field.name(), value, problems);
            }
        }
        String apiBase = stored.settings().get(PlatformContexts.API_BASE_URL_SETTING);
        if (apiBase != null && !apiBase.isBlank()) {
            checkUrl("config." + PlatformContexts.API_BASE_URL_SETTING, apiBase, problems);
        }
        return problems.stream().findFirst().map(p -> p.field() + " " + p.problem());
    }

    /** A URL GateKit will call must be http(s), and public unless the operator allows private addresses. */
    private void checkUrl(String path, String value, List<ErrorDetail> errors) {
        OutboundAddresses.problem(value, allowPrivateAddresses, ALLOW_PRIVATE_SETTING)
                .ifPresent(problem -> errors.add(new ErrorDetail(path, problem)));
    }

    private void check(String prefix, List<ConfigField> fields, Map<String, String> values, List<String> alsoAllowed,
                       List<ErrorDetail> errors) {
        Map<String, ConfigField> byName = new LinkedHashMap<>();
        fields.forEach(field -> byName.put(field.name(), field));
        for (String name : values.keySet()) {
            if (!byName.containsKey(name) && !alsoAllowed.contains(name)) {
                errors.add(new ErrorDetail(prefix + "." + name, "unknown field; this platform takes "
                        + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))));
            }
        }
        for (ConfigField field : fields) {
            String value = values.get(field.name());
            String path = prefix + "." + field.name();
            if (value == null || value.isBlank()) {
                if (field.required()) {
                    errors.add(new ErrorDetail(path, "required"));
                }
                continue;
            }
            switch (field.type()) {
                case URL -> checkUrl(path, value, errors);
                case INTEGER -> {
                    try {
                        Long.parseLong(value.trim());
                    } catch (NumberFormatException e) {
                        errors.add(new ErrorDetail(path, "must be an integer"));
                    }
                }
                case BOOLEAN -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        errors.add(new ErrorDetail(path, "must be true or false"));
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void checkLimits(LimitOverrides limits, DeliveryLimits defaults, List<ErrorDetail> errors) {
        if (limits.messagesPerSecond() != null && !inRange(limits.messagesPerSecond())) {
            errors.add(new ErrorDetail("limits.messagesPerSecond", RATE_RANGE));
        } else if (limits.perTargetPerSecond() != null && !inRange(limits.perTargetPerSecond())) {
            errors.add(new ErrorDetail("limits.perTargetPerSecond", RATE_RANGE));
        } else if (limits.perTargetPerSecond() != null
                && limits.perTargetPerSecond() > (limits.messagesPerSecond() != null ? limits.messagesPerSecond() : defaults.messagesPerSecond())) {
            errors.add(new ErrorDetail("limits.perTargetPerSecond", "must not exceed messagesPerSecond"));
        }
    }

    /** The sent values with each field's aliases renamed to the field's own name, which is what is stored. */
    private static Map<String, Object> underCanonicalNames(String prefix, List<ConfigField> fields, Map<String, Object> sent,
                                                           List<ErrorDetail> errors) {
        if (sent == null) {
            return null;
        }
        Map<String, Object> renamed = new LinkedHashMap<>(sent);
        for (ConfigField field : fields) {
            for (String alias : field.aliases()) {
                if (!renamed.containsKey(alias)) {
                    continue;
                }
                if (renamed.containsKey(field.name())) {
                    errors.add(new ErrorDetail(prefix + "." + alias, "is another name for " + field.name() + "; send only one of them"));
                }
                renamed.putIfAbsent(field.name(), renamed.remove(alias));
            }
        }
        return renamed;
    }

    /** Merges sent values over stored ones: a value replaces, null removes; scalars become their text. */
    private static Map<String, String> merge(String prefix, Map<String, String> stored, Map<String, Object> sent,
                                             List<ErrorDetail> errors) {
        Map<String, String> merged = new TreeMap<>(stored);
        if (sent == null) {
            return merged;
        }
        sent.forEach((name, value) -> {
            if (value == null) {
                merged.remove(name);
            } else if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                merged.put(name, value.toString());
            } else {
                errors.add(new ErrorDetail(prefix + "." + name, "must be a string, number or boolean"));
            }
        });
        return merged;
    }

    private String name(String requested, String platform) {
        if (requested == null) {
            return platform;
        }
        String name = requested.trim();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw ApiException.invalid("name", "must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    private String seal(Map<String, String> credentials) {
        return cipher.encrypt(Json.write(credentials));
    }

    private Map<String, String> open(StoredPlatformConfiguration stored) {
        return Json.read(cipher.decrypt(stored.credentialsCiphertext()), STRING_MAP);
    }

    /** One message an hour up to a million a second: slower would stall a target for good. */
    private static final double SLOWEST_RATE = 1.0 / 3600;
    private static final String RATE_RANGE = "must be between 1/3600 (one an hour) and 1000000 messages per second";

    private static boolean inRange(double perSecond) {
        return perSecond >= SLOWEST_RATE && perSecond < 1e6;
    }

    private static Optional<UUID> parseUuid(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
