package dev.gatekit.core.usage;

import dev.gatekit.core.auth.AuthenticationFilter;
import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.projects.ProjectService;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.UUID;

/**
 * Counts each authenticated API request against its project and credential: a project's API key
 * against its own project; an admin key or a JWT against the project the path names, when it
 * reaches it. Counting is in memory ({@link UsageRecorder} flushes it), so it costs no query
 * beyond the projects' cached slug lookup.
 */
public class UsageRequestFilter implements ContainerResponseFilter {

    private final UsageRecorder recorder;
    private final ProjectService projects;

    public UsageRequestFilter(UsageRecorder recorder, ProjectService projects) {
        this.recorder = recorder;
        this.projects = projects;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Caller caller = AuthenticationFilter.callerOf(request);
        if (caller == null) {
            return;
        }
        UUID projectId;
        try {
            projectId = caller.kind() == Caller.Kind.API_KEY ? caller.projectId() : pathProject(request, caller);
        } catch (RuntimeException e) {
            // The answer is already decided (a 202 for a committed message, say): a count is never worth changing it.
            return;
        }
        if (projectId != null) {
            recorder.count(projectId, UsageMetric.REQUESTS, null, caller.id(), 1);
        }
    }

    private UUID pathProject(ContainerRequestContext request, Caller caller) {
        String slug = request.getUriInfo().getPathParameters().getFirst("slug");
        if (slug == null) {
            return null;
        }
        return projects.findBySlug(slug).filter(caller::canReach).map(Project::id).orElse(null);
    }
}
