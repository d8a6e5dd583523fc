package dev.gatekit.core.platforms;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.plugins.LoadedPlatform;
import dev.gatekit.core.plugins.PlatformLease;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.plugin.api.Capability;
import dev.gatekit.plugin.api.ConfigField;
import dev.gatekit.plugin.api.DeliveryLimits;
import dev.gatekit.plugin.api.HealthStatus;
import dev.gatekit.plugin.api.PlatformDescriptor;
import dev.gatekit.plugin.api.TargetType;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What platforms this server can talk to now, from the loaded plugins. Any valid credential may read
 * it (no scope: it says nothing about any project).
 */
@Path("/api/v1/platforms")
@Produces(MediaType.APPLICATION_JSON)
public class PlatformDiscoveryResource {

    public record FieldView(String name, String type, boolean secret, boolean required, String description,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> aliases) {
        static FieldView of(ConfigField field) {
            return new FieldView(field.name(), field.type().name(), field.secret(), field.required(), field.description(),
                    field.aliases());
        }
    }

    public record SupportedPlatform(String id, String displayName, String version, String pluginId, String pluginVersion,
                                    Set<Capability> capabilities, Set<TargetType> targetTypes, int maxTextLength,
                                    List<FieldView> credentialFields, List<FieldView> configFields, DeliveryLimits defaultLimits,
                                    Map<String, String> targetFormats) {
    }

    /**
     * @param incompleteConfigurations active configurations lacking a field the loaded plugin requires
     *                                 (their messages wait); {@code detail} names the fields
     */
    public record PlatformHealth(String platform, String pluginId, String pluginVersion, String status, String detail,
                                 int openClients, int unhealthyClients, int incompleteConfigurations) {
    }

    public record HealthReport(String status, List<PlatformHealth> platforms) {
    }

    public record WebhookRoute(String platform, String method, List<String> paths) {
    }

    public record WebhookRoutes(List<WebhookRoute> routes) {
    }

    private final PlatformRegistry registry;
    private final PlatformClients clients;
    private final PlatformConfigurationService configurations;

    public PlatformDiscoveryResource(PlatformRegistry registry, PlatformClients clients, PlatformConfigurationService configurations) {
        this.registry = registry;
        this.clients = clients;
        this.configurations = configurations;
    }

    @GET
    @Path("/supported")
    public List<SupportedPlatform> supported(@Auth Caller caller) {
        return registry.all().stream().map(platform -> {
            PlatformDescriptor d = platform.descriptor();
            return new SupportedPlatform(d.id(), d.displayName(), d.version(), platform.pluginId(), platform.pluginVersion(),
                    d.capabilities(), d.targetTypes(), d.maxTextLength(),
                    d.credentialFields().stream().map(FieldView::of).toList(),
                    d.configFields().stream().map(FieldView::of).toList(), d.defaultLimits(), targetFormats(d));
        }).toList();
    }

    /** What each checked target type's ids look like, by the type's wire name: {@code {"user": "a phone number ..."}}. */
    private static Map<String, String> targetFormats(PlatformDescriptor descriptor) {
        Map<String, String> formats = new TreeMap<>();
        descriptor.targetFormats().forEach((type, format) -> formats.put(type.name().toLowerCase(Locale.ROOT), format.description()));
        return formats;
    }

    @GET
    @Path("/health")
    public HealthReport health(@Auth Caller caller) {
        List<PlatformHealth> report = new ArrayList<>();
        for (LoadedPlatform platform : registry.all()) {
            String status = "up";
            String detail = null;
            Optional<PlatformLease> lease = registry.tryAcquire(platform.platformId());
            if (lease.isEmpty()) {
                status = "down";
                detail = "plugin is being unloaded";
            } else {
                try (PlatformLease held = lease.get()) {
                    held.provider().descriptor();
                } catch (RuntimeException | LinkageError e) {
                    status = "down";
                    detail = "provider failed: " + e.getClass().getSimpleName();
                }
            }
            List<HealthStatus> clientHealth = clients.health(platform.platformId());
            int unhealthy = (int) clientHealth.stream().filter(h -> h.state() != HealthStatus.State.UP).count();
            if ("up".equals(status) && unhealthy > 0) {
                status = "degraded";
                detail = unhealthy + " of " + clientHealth.size() + " clients are not up";
            }
            Incomplete incomplete = incomplete(platform);
            if ("up".equals(status) && incomplete.configurations() > 0) {
                status = "degraded";
                detail = "plugin " + platform.pluginId() + " " + platform.pluginVersion() + " requires "
                        + String.join(", ", incomplete.fields()) + ", which " + incomplete.configurations() + " configuration(s) lack; "
                        + "their messages wait until the configurations are updated";
            }
            report.add(new PlatformHealth(platform.platformId(), platform.pluginId(), platform.pluginVersion(), status, detail,
                    clientHealth.size(), unhealthy, incomplete.configurations()));
        }
        boolean allUp = report.stream().allMatch(p -> "up".equals(p.status()));
        return new HealthReport(allUp ? "ok" : "degraded", report);
    }

    private record Incomplete(int configurations, Set<String> fields) {
    }

    /** How many active configurations of the platform lack a field its plugin requires, and which fields. */
    private Incomplete incomplete(LoadedPlatform platform) {
        int count = 0;
        Set<String> fields = new TreeSet<>();
        for (StoredPlatformConfiguration stored : configurations.activeForPlatform(platform.platformId())) {
            try {
                List<String> missing = PlatformConfigurationService.missingRequired(configurations.decrypt(stored), platform.descriptor());
                count += missing.isEmpty() ? 0 : 1;
                fields.addAll(missing);
            } catch (RuntimeException e) {
                // Credentials this server cannot open are another problem, reported when a send meets them.
            }
        }
        return new Incomplete(count, fields);
    }

    @GET
    @Path("/webhook-routes")
    public WebhookRoutes webhookRoutes(@Auth Caller caller) {
        return new WebhookRoutes(registry.all().stream()
                .filter(platform -> platform.descriptor().supports(Capability.INBOUND_WEBHOOK))
                .map(platform -> new WebhookRoute(platform.platformId(), "POST", List.of(
                        "/webhooks/" + platform.platformId() + "/{token}",
                        "/api/v1/webhooks/" + platform.platformId() + "/{token}")))
                .toList());
    }
}
