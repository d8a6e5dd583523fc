package dev.gatekit.core.webhooks;

import dev.gatekit.core.auth.PublicEndpoint;
import dev.gatekit.core.ratelimit.RateLimitExempt;
import dev.gatekit.plugin.api.WebhookRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;

/**
 * {@code POST|GET /webhooks/{platform}/{token}}, also under {@code /api/v1}: no API key (the token
 * and the platform's own signature are the credentials), and not metered per client address, since
 * a platform sends every project's webhooks from the same few addresses. The body is read as raw
 * bytes, so a plugin verifies its signature over exactly what was sent; the body size limit applies.
 */
@Path("/{prefix: (api/v1/)?}webhooks/{platform}/{token}")
@PublicEndpoint
@RateLimitExempt
public class WebhookResource {

    private final WebhookService webhooks;
    private final Clock clock;

    @Context
    private HttpServletRequest servletRequest;

    public WebhookResource(WebhookService webhooks, Clock clock) {
        this.webhooks = webhooks;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response post(@PathParam("platform") String platform, @PathParam("token") String token, @Context HttpHeaders headers,
                         @Context UriInfo uri, byte[] body) {
        return handle("POST", platform, token, headers, uri, body);
    }

    @GET
    public Response get(@PathParam("platform") String platform, @PathParam("token") String token, @Context HttpHeaders headers,
                        @Context UriInfo uri) {
        return handle("GET", platform, token, headers, uri, null);
    }

    private Response handle(String method, String platform, String token, HttpHeaders headers, UriInfo uri, byte[] body) {
        WebhookRequest request = new WebhookRequest(method, "/" + uri.getPath(), headers.getRequestHeaders(), uri.getQueryParameters(),
                body, servletRequest == null ? null : servletRequest.getRemoteAddr(), clock.instant());
        WebhookService.Answer answer = webhooks.handle(platform, token, request);
        Response.ResponseBuilder response = Response.status(answer.status());
        if (answer.body().length > 0) {
            response.entity(answer.body()).type(answer.contentType() == null ? MediaType.APPLICATION_OCTET_STREAM : answer.contentType());
        }
        return response.build();
    }
}
