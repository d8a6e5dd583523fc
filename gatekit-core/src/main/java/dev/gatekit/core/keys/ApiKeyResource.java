package dev.gatekit.core.keys;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.projects.ProjectService;
import dev.gatekit.core.ratelimit.Throttle;
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

    /** The stricter limits on minting secrets (the original's 5 creations and 3 rolls a minute). */
    public static final String KEY_CREATE_THROTTLE = "key-create";
    public static final String KEY_ROLL_THROTTLE = "key-roll";

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
    @Throttle(KEY_CREATE_THROTTLE)
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
        return ApiKeyView.revoked(keys.revoke(project, keyId), clock.instant());
    }

    @POST
    @Path("/{keyId}/roll")
    @Throttle(KEY_ROLL_THROTTLE)
    public Response roll(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("keyId") UUID keyId,
                         @Valid RollApiKeyRequest request) {
        Project project = projects.get(caller, slug, Scope.KEYS_MANAGE);
        int graceSeconds = request == null || request.gracePeriodSeconds() == null ? 0 : request.gracePeriodSeconds();
        // 200 as in the original: the roll changes a key that exists (the new one is in the body).
        return Response.ok(ApiKeyView.rolled(keys.roll(caller, project, keyId, Duration.ofSeconds(graceSeconds)), clock.instant()))
                .build();
    }
}
