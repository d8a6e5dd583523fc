package dev.gatekit.core.auth;

import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/** Puts the authentication filter in front of every resource method not marked {@link PublicEndpoint}. */
public class AuthenticationFeature implements DynamicFeature {

    private final AuthenticationFilter filter;

    public AuthenticationFeature(AuthenticationFilter filter) {
        this.filter = filter;
    }

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        boolean isPublic = resource.getResourceMethod().isAnnotationPresent(PublicEndpoint.class)
                || resource.getResourceClass().isAnnotationPresent(PublicEndpoint.class);
        if (!isPublic) {
            context.register(filter);
        }
    }
}
