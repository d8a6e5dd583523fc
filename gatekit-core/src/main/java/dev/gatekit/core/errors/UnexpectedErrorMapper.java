package dev.gatekit.core.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bug, not bad input: logged with an id the client sees, never a stack trace in the response. */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrorMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        String errorId = UUID.randomUUID().toString();
        LOG.error("Unexpected error {}", errorId, e);
        return ApiExceptionMapper.respond(500, "internal_error", "Internal server error (error id " + errorId + ")");
    }
}
