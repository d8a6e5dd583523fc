package dev.gatekit.core.events;

import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import dev.gatekit.core.projects.ProjectService;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A project's event endpoints: reading needs {@code projects:read}; creating, changing, deleting,
 * rolling the secret and redelivering need {@code projects:write}.
 */
@Path("/api/v1/projects/{slug}/events/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EventEndpointResource {

    private final ProjectService projects;
    private final EventEndpointService endpoints;

    public EventEndpointResource(ProjectService projects, EventEndpointService endpoints) {
        this.projects = projects;
        this.endpoints = endpoints;
    }

    @GET
    public Map<String, List<EventEndpointView>> list(@Auth Caller caller, @PathParam("slug") String slug) {
        return Map.of("endpoints", endpoints.list(projects.get(caller, slug, Scope.PROJECTS_READ)).stream()
                .map(e -> EventEndpointView.of(e, null)).toList());
    }

    @POST
    public Response create(@Auth Caller caller, @PathParam("slug") String slug, EventEndpointRequest request) {
        EventEndpointService.Issued issued = endpoints.create(projects.get(caller, slug, Scope.PROJECTS_WRITE), request);
        return Response.status(201).entity(EventEndpointView.of(issued.endpoint(), issued.secret())).build();
    }

    @GET
    @Path("/{id}")
    public EventEndpointView get(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("id") UUID id) {
        return EventEndpointView.of(endpoints.get(projects.get(caller, slug, Scope.PROJECTS_READ), id), null);
    }

    @PATCH
    @Path("/{id}")
    public EventEndpointView update(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("id") UUID id,
                                    EventEndpointRequest change) {
        return EventEndpointView.of(endpoints.update(projects.get(caller, slug, Scope.PROJECTS_WRITE), id, change), null);
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("id") UUID id) {
        endpoints.delete(projects.get(caller, slug, Scope.PROJECTS_WRITE), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/roll-secret")
    public EventEndpointView rollSecret(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("id") UUID id) {
        EventEndpointService.Issued issued = endpoints.rollSecret(projects.get(caller, slug, Scope.PROJECTS_WRITE), id);
        return EventEndpointView.of(issued.endpoint(), issued.secret());
    }

    @GET
    @Path("/{id}/deliveries")
    public EventDeliveryView.Page deliveries(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("id") UUID id,
                                             @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        return endpoints.deliveries(projects.get(caller, slug, Scope.PROJECTS_READ), id, cursor, limit);
    }

    @POST
    @Path("/{id}/deliveries/{deliveryId}/redeliver")
    public Response redeliver(@Auth Caller caller, @PathParam("slug") String slug, @PathParam("id") UUID id,
                              @PathParam("deliveryId") UUID deliveryId) {
        return Response.accepted(endpoints.redeliver(projects.get(caller, slug, Scope.PROJECTS_WRITE), id, deliveryId)).build();
    }
}
