package dev.gatekit.core.projects;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
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
import java.util.List;
import java.util.Map;

/**
 * Projects. Scopes: reading needs {@code projects:read}, creating, changing and deleting need
 * {@code projects:write}.
 */
@Path("/api/v1/projects")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProjectResource {

    private final ProjectService projects;

    public ProjectResource(ProjectService projects) {
        this.projects = projects;
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
    public ProjectView get(@Auth Caller caller, @PathParam("slug") String slug) {
        return ProjectView.of(projects.get(caller, slug, Scope.PROJECTS_READ));
    }

    @PATCH
    @Path("/{slug}")
    public ProjectView update(@Auth Caller caller, @PathParam("slug") String slug, @NotNull @Valid UpdateProjectRequest change) {
        Project project = projects.get(caller, slug, Scope.PROJECTS_WRITE);
        return ProjectView.of(projects.update(project, change));
    }

    @DELETE
    @Path("/{slug}")
    public Map<String, Object> delete(@Auth Caller caller, @PathParam("slug") String slug) {
        projects.delete(projects.get(caller, slug, Scope.PROJECTS_WRITE));
        return Map.of("success", true, "slug", slug);
    }
}
