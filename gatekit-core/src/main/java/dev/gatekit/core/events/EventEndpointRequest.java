package dev.gatekit.core.events;

import java.util.List;

/** Create (url and kinds required) or change (any field) an event endpoint. */
public record EventEndpointRequest(String url, String description, List<String> kinds, Boolean isActive) {
}
