package dev.gatekit.core.keys;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.projects.ProjectService;
import io.dropwizard.auth.Auth;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** A project's API keys. Scopes: listing needs {@code keys:read}; create, revoke and roll need {@code keys:manage}. */
@Path("/api/v1/projects/{slug}/keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyResource {

    private final ProjectService projects;
    private final ApiKeyService keys;
    private final Clock clock;

    public ApiKeyResource(ProjectService projects, ApiKeyService keys, Clock clock) {
        this.projects = projects;
        this.keys = keys;
        this.clock = clock;
    }

    @GET
    public List<ApiKeyView> list(@Auth Caller caller, @PathParam("slug") String slug) {
        Project project = projects.get(caller, slug, Scope.KEYS_READ);
        return keys.list(project).stream().map(k -> ApiKeyView.of(k, clock.instant())).toList();
    }

    @POST
    public Response create(@Auth Caller caller, @PathParam("slug") String slug, @NotNull @Valid CreateApiKeyRequest request) {
        Project project = projects.get(caller, slug, Scope.KEYS_MANAGE);
        ApiKeyService.IssuedKey issued = keys.create(caller, project, request);
        return Response.status(Response.Status.CREATED)
                .entity(ApiKeyView.withSecret(issued.key(), issued.secret(), clock.instant()))
                .build();
    }

    @DELETE
    @Path("/{keyId}")
    public ApiKeyView revoke(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("keyId") UUID keyId) {
        Project project = projects.get(caller, slug, Scope.KEYS_MANAGE);
        return ApiKeyView.of(keys.revoke(project, keyId), clock.instant());
    }

    @POST
    @Path("/{keyId}/roll")
    public Response roll(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("keyId") UUID keyId,
                         @Valid RollApiKeyRequest request) {
        Project project = projects.get(caller, slug, Scope.KEYS_MANAGE);
        int graceSeconds = request == null || request.gracePeriodSeconds() == null ? 0 : request.gracePeriodSeconds();
        ApiKeyService.IssuedKey issued = keys.roll(caller, project, keyId, Duration.ofSeconds(graceSeconds));
        return Response.status(Response.Status.CREATED)
                .entity(ApiKeyView.withSecret(issued.key(), issued.secret(), clock.instant()))
                .build();
    }
}
