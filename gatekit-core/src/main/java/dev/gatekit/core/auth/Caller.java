package dev.gatekit.core.auth;

import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.projects.Project;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling, once authenticated: a project's API key, an operator's admin key, or a JWT
 * subject. Resources receive it with {@code @Auth Caller caller}.
 *
 * @param id         the API key's id, or the JWT's subject
 * @param projectId  the one project an API key reaches; null for admin keys and JWTs
 */
public record Caller(Kind kind, String id, String name, UUID projectId, Set<Scope> scopes) implements Principal {

    public enum Kind { API_KEY, ADMIN_KEY, JWT }

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    @Override
    public String getName() {
        return name;
    }

    public boolean isAdmin() {
        return kind == Kind.ADMIN_KEY;
    }

    /** The subject that owns projects this caller creates; only JWT callers own projects. */
    public String ownerSubject() {
        return kind == Kind.JWT ? id : null;
    }

    /** Whether this caller may see the project at all; a project it cannot reach answers 404. */
    public boolean canReach(Project project) {
        return switch (kind) {
            case ADMIN_KEY -> true;
            case API_KEY -> project.id().equals(projectId);
            case JWT -> id.equals(project.ownerSubject());
        };
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    public void require(Scope scope) {
        if (!has(scope)) {
            // The original's exact message, which migrating clients match; the missing scope goes in the details.
            throw new ApiException(403, "forbidden", "Insufficient permissions",
                    List.of(new ErrorDetail("scope", "this endpoint requires the scope '" + scope + "'")));
        }
    }

    /** What the rate limiter counts requests against. */
    public String rateLimitKey() {
        return (kind == Kind.JWT ? "jwt:" : "key:") + id;
    }
}
