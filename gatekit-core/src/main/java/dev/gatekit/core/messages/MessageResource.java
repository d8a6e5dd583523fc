package dev.gatekit.core.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.projects.ProjectService;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;

/**
 * Sending and following messages. Scopes: send, batch and retry need {@code messages:send}; status and
 * queue metrics need {@code messages:read}.
 */
@Path("/api/v1/projects/{slug}/messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MessageResource {

    private final ProjectService projects;
    private final MessageService messages;
    private final ObjectMapper mapper;

    /** @param mapper the API's JSON mapper, to read each message of a batch as a single send's body is read */
    public MessageResource(ProjectService projects, MessageService messages, ObjectMapper mapper) {
        this.projects = projects;
        this.messages = messages;
        this.mapper = mapper;
    }

    @POST
    @Path("/send")
    public Response send(@Auth Caller caller, @PathParam("slug") String slug, @HeaderParam("Idempotency-Key") String idempotencyKey,
                         SendMessageRequest request) {
        Project project = projects.get(caller, slug, Scope.MESSAGES_SEND);
        return Response.accepted(messages.send(caller, project, request, idempotencyKey)).build();
    }

    /** Up to 1,000 messages in one request: 202 when all were accepted, else 207 with each one's result. */
    @POST
    @Path("/batch")
    public Response sendBatch(@Auth Caller caller, @PathParam("slug") String slug, JsonNode body) {
        Project project = projects.get(caller, slug, Scope.MESSAGES_SEND);
        BatchSendResult result = messages.sendBatch(caller, project, BatchSendRequest.parse(body, mapper));
        return Response.status(result.success() ? 202 : 207).entity(result).build();
    }

    @GET
    @Path("/status/{jobId}")
    public MessageStatusView status(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("jobId") UUID jobId) {
        return messages.status(projects.get(caller, slug, Scope.MESSAGES_READ), jobId);
    }

    @GET
    @Path("/queue/metrics")
    public QueueMetrics metrics(@Auth Caller caller, @PathParam("slug") String slug) {
        return messages.metrics(projects.get(caller, slug, Scope.MESSAGES_READ));
    }

    @POST
    @Path("/retry/{jobId}")
    public Response retry(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("jobId") UUID jobId) {
        return Response.ok(messages.retry(projects.get(caller, slug, Scope.MESSAGES_SEND), jobId)).build();
    }
}
