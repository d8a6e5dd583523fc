package dev.gatekit.core.platforms;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.projects.ProjectService;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's platform configurations. {@code {platform}} is a configuration id or, when the project
 * has one configuration of it, the platform's name. Scopes: reading needs {@code platforms:read};
 * creating, changing and deleting need {@code platforms:write}.
 */
@Path("/api/v1/projects/{slug}/platforms")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PlatformConfigurationResource {

    private final ProjectService projects;
    private final PlatformConfigurationService configurations;

    public PlatformConfigurationResource(ProjectService projects, PlatformConfigurationService configurations) {
        this.projects = projects;
        this.configurations = configurations;
    }

    @GET
    public List<PlatformConfigurationView> list(@Auth Caller caller, @PathParam("slug") String slug) {
        Project project = projects.get(caller, slug, Scope.PLATFORMS_READ);
        return configurations.list(project).stream().map(configurations::view).toList();
    }

    @POST
    public Response create(@Auth Caller caller, @PathParam("slug") String slug, CreatePlatformConfigurationRequest request) {
        Project project = projects.get(caller, slug, Scope.PLATFORMS_WRITE);
        if (request == null) {
            throw ApiException.invalid("body", "required");
        }
        return Response.status(Response.Status.CREATED)
                .entity(configurations.view(configurations.create(project, request)))
                .build();
    }

    @GET
    @Path("/{platform}")
    public PlatformConfigurationView get(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("platform") String platform) {
        Project project = projects.get(caller, slug, Scope.PLATFORMS_READ);
        return configurations.view(configurations.resolve(project, platform));
    }

    @PATCH
    @Path("/{platform}")
    public PlatformConfigurationView update(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("platform") String platform,
                                            UpdatePlatformConfigurationRequest change) {
        Project project = projects.get(caller, slug, Scope.PLATFORMS_WRITE);
        if (change == null) {
            throw ApiException.invalid("body", "required");
        }
        return configurations.view(configurations.update(project, platform, change));
    }

    @DELETE
    @Path("/{platform}")
    public Map<String, Object> delete(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("platform") String platform) {
        Project project = projects.get(caller, slug, Scope.PLATFORMS_WRITE);
        StoredPlatformConfiguration deleted = configurations.delete(project, platform);
        // The original's message, with what was removed.
        return Map.of("success", true, "message", "Platform removed successfully", "id", deleted.id(), "platform", deleted.platform());
    }

    @GET
    @Path("/{platform}/webhook")
    public Map<String, Object> webhook(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("platform") String platform) {
        Project project = projects.get(caller, slug, Scope.PLATFORMS_READ);
        StoredPlatformConfiguration configuration = configurations.resolve(project, platform);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", configuration.id());
        body.put("platform", configuration.platform());
        body.put("webhookUrl", configurations.webhookUrl(configuration).toString());
        body.put("token", configuration.webhookToken());
        return body;
    }
}
