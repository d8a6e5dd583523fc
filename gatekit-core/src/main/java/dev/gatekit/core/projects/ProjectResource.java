package dev.gatekit.core.projects;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import dev.gatekit.core.keys.ApiKey;
import dev.gatekit.core.keys.ApiKeyService;
import dev.gatekit.core.keys.ApiKeyView;
import io.dropwizard.auth.Auth;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Projects. Scopes: reading needs {@code projects:read}, creating, changing and deleting need
 * {@code projects:write}.
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProjectResource {

    private final ProjectService projects;
    private final ApiKeyService keys;
    private final Clock clock;

    public ProjectResource(ProjectService projects, ApiKeyService keys, Clock clock) {
        this.projects = projects;
        this.keys = keys;
        this.clock = clock;
    }

    @GET
    public List<ProjectView> list(@Auth Caller caller) {
        caller.require(Scope.PROJECTS_READ);
        return projects.list(caller).stream().map(ProjectView::of).toList();
    }

    @POST
    public Response create(@Auth Caller caller, @NotNull @Valid CreateProjectRequest request) {
        caller.require(Scope.PROJECTS_WRITE);
        return Response.status(Response.Status.CREATED).entity(ProjectView.of(projects.create(caller, request))).build();
    }

    @GET
    @Path("/{slug}")
    public ProjectDetailView get(@Auth Caller caller, @PathParam("slug") String slug) {
        Project project = projects.get(caller, slug, Scope.PROJECTS_READ);
        Instant now = clock.instant();
        List<ApiKeyView> usable = keys.list(project).stream()
                .filter(k -> k.status(now) == ApiKey.Status.ACTIVE)
                .map(k -> ApiKeyView.of(k, now))
                .toList();
        return new ProjectDetailView(ProjectView.of(project), usable,
                new ProjectDetailView.Counts(usable.size(), projects.countPlatformConfigurations(project)));
    }

    @PATCH
    @Path("/{slug}")
    public ProjectView update(@Auth Caller caller, @PathParam("slug") String slug, @NotNull @Valid UpdateProjectRequest change) {
        Project project = projects.get(caller, slug, Scope.PROJECTS_WRITE);
        return ProjectView.of(projects.update(project, change));
    }

    @DELETE
    @Path("/{slug}")
    public ProjectView delete(@Auth Caller caller, @PathParam("slug") String slug) {
        Project project = projects.get(caller, slug, Scope.PROJECTS_WRITE);
        projects.delete(project);
        return ProjectView.of(project); // the deleted project, as the original answers
    }
}
