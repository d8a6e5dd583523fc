package dev.gatekit.core.usage;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import dev.gatekit.core.projects.ProjectService;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/projects/{slug}/usage?from=&to=&groupBy=day|platform|key}, scope {@code projects:read}. */
@Path("/api/v1/projects/{slug}/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private final ProjectService projects;
    private final UsageService usage;

    public UsageResource(ProjectService projects, UsageService usage) {
        this.projects = projects;
        this.usage = usage;
    }

    @GET
    public UsageView usage(@Auth Caller caller, @PathParam("slug") String slug, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("groupBy") String groupBy) {
        return usage.usage(projects.get(caller, slug, Scope.PROJECTS_READ), from, to, groupBy);
    }
}
