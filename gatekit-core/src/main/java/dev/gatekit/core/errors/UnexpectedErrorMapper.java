package dev.gatekit.core.errors;

import dev.gatekit.core.db.DatabaseOutage;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bug, not bad input: logged with an id the client sees, never a stack trace in the response.
 * Postgres out of reach is no bug: a 503 with {@code Retry-After}, logged once per outage.
 */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorMapper.class);

    private final DatabaseOutage outage;

    public UnexpectedErrorMapper(DatabaseOutage outage) {
        this.outage = outage;
    }

    @Override
    public Response toResponse(Throwable e) {
        if (DatabaseOutage.isUnavailable(e)) {
            outage.failed(e);
            ApiException unavailable = new ApiException(503, "database_unavailable", "The database is out of reach; try again shortly",
                    List.of(), Map.of("Retry-After", Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS)));
            return ApiExceptionMapper.respond(unavailable);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.error("Unexpected error {}", errorId, e);
        return ApiExceptionMapper.respond(500, "internal_error", "Internal server error (error id " + errorId + ")");
    }
}
