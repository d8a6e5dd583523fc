package dev.gatekit.core.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gatekit.core.auth.PublicEndpoint;
import dev.gatekit.core.ratelimit.RateLimitExempt;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/health}: public; 200 when every dependency answers, 503 naming the one that does not.
 * The body is the original's {@code {"success":…,"data":{"status":"healthy"|"unhealthy",…}}}, which monitors
 * written for it read, with GateKit's per-dependency checks inside {@code data}.
 */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
@PublicEndpoint
@RateLimitExempt
public class HealthResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CheckResult(String status, long latencyMs, String error) {
    }

    public record HealthReport(String status, String service, String version, String environment, long uptimeSeconds,
                               Map<String, CheckResult> checks, Instant timestamp) {
    }

    public record HealthAnswer(boolean success, HealthReport data) {
    }

    private final List<DependencyCheck> checks;
    private final String version;
    private final String environment;
    private final Clock clock;
    private final Instant startedAt;

    public HealthResource(List<DependencyCheck> checks, String version, String environment, Clock clock) {
        this.checks = List.copyOf(checks);
        this.version = version;
        this.environment = environment;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    @GET
    public Response health() {
        Map<String, CheckResult> results = new LinkedHashMap<>();
        boolean allUp = true;
        for (DependencyCheck check : checks) {
            long started = System.nanoTime();
            String error = null;
            try {
                check.check();
            } catch (Exception e) {
                error = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                allUp = false;
            }
            long latencyMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
            results.put(check.name(), new CheckResult(error == null ? "up" : "down", latencyMs, error));
        }
        Instant now = clock.instant();
        HealthReport report = new HealthReport(allUp ? "healthy" : "unhealthy", "gatekit", version, environment,
                Duration.between(startedAt, now).toSeconds(), results, now);
        return Response.status(allUp ? 200 : 503).entity(new HealthAnswer(allUp, report)).build();
    }
}
