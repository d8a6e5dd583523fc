package dev.gatekit.core.history;

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
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/v1/projects/{slug}/messages} and {@code …/messages/{id}}, scope
 * {@code messages:read}. Shares its path with the send API; the id only matches a UUID, so
 * {@code …/messages/status/…}, {@code …/queue/metrics} and the rest stay the send API's.
 */
@Path("/api/v1/projects/{slug}/messages")
@Produces(MediaType.APPLICATION_JSON)
public class HistoryResource {

    private final ProjectService projects;
    private final HistoryService history;

    public HistoryResource(ProjectService projects, HistoryService history) {
        this.projects = projects;
        this.history = history;
    }

    @GET
    public HistoryService.Page list(@Auth Caller caller, @PathParam("slug") String slug,
                                    @QueryParam("direction") String direction, @QueryParam("platform") String platform,
                                    @QueryParam("state") String state, @QueryParam("target") String target,
                                    @QueryParam("chat") String chat, @QueryParam("from") String from, @QueryParam("to") String to,
                                    @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        return history.list(projects.get(caller, slug, Scope.MESSAGES_READ), direction, platform, state,
                target != null && !target.isBlank() ? target : chat, from, to, cursor, limit);
    }

    @GET
    @Path("/{id: [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}}")
    public Map<String, Object> get(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("id") UUID id) {
        return history.get(projects.get(caller, slug, Scope.MESSAGES_READ), id);
    }
}
