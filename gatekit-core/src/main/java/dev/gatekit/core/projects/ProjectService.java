package dev.gatekit.core.projects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatekit.core.auth.Caller;
import dev.gatekit.core.auth.Scope;
import dev.gatekit.core.db.SqlErrors;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.keys.ApiKeyDao;
import dev.gatekit.core.redis.InvalidationBus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

public class ProjectService {

    private static final int SLUG_ATTEMPTS = 5;
    /** How long an instance may serve a project it did not hear change (when Redis could not tell it). */
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final ProjectDao projects;
    private final InvalidationBus invalidations;
    private final Clock clock;
    private final Cache<String, Optional<Project>> bySlug = Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(CACHE_TTL).build();

    public ProjectService(Jdbi jdbi, InvalidationBus invalidations, Clock clock) {
        this.jdbi = jdbi;
        this.projects = jdbi.onDemand(ProjectDao.class);
        this.invalidations = invalidations;
        this.clock = clock;
        invalidations.subscribe(InvalidationBus.Topic.PROJECT, bySlug::invalidate);
    }

    /** The project with this slug, from a cache that every instance clears when a project changes. */
    public Optional<Project> findBySlug(String slug) {
        return bySlug.get(slug, projects::findBySlug);
    }

    public List<Project> list(Caller caller) {
        return switch (caller.kind()) {
            case ADMIN_KEY -> projects.listAll();
            case API_KEY -> projects.findById(caller.projectId()).stream().toList();
            case JWT -> projects.listOwnedBy(caller.id());
        };
    }

    /**
     * The project a caller names by slug, for an action that needs {@code scope}: 404 when it does
     * not exist or the caller cannot reach it (never revealing which), then 403 without the scope.
     */
    public Project get(Caller caller, String slug, Scope scope) {
        Project project = findBySlug(slug)
                .filter(caller::canReach)
                .orElseThrow(() -> ApiException.notFound("Project '" + slug + "' not found"));
        caller.require(scope);
        return project;
    }

    public Project create(Caller caller, CreateProjectRequest request) {
        if (caller.kind() == Caller.Kind.API_KEY) {
            throw ApiException.forbidden("A project's API key cannot create projects; use an admin key or a JWT");
        }
        Instant now = clock.instant();
        String base = request.slug() != null ? request.slug() : Slugs.fromName(request.name());
        for (int attempt = 1; ; attempt++) {
            String slug = request.slug() != null ? base : Slugs.firstFree(base, projects.slugsLike(base));
            Project project = new Project(UUID.randomUUID(), slug, request.name().trim(), request.description(),
                    Objects.requireNonNullElse(request.environment(), ProjectEnvironment.DEVELOPMENT),
                    Boolean.TRUE.equals(request.isDefault()), request.settings(), caller.ownerSubject(), now, now);
            try {
                saveKeepingOneDefault(project, dao -> dao.insert(project));
                invalidations.announce(InvalidationBus.Topic.PROJECT, slug);
                return project;
            } catch (UnableToExecuteStatementException e) {
                if (!SqlErrors.isUniqueViolation(e)) {
                    throw e;
                }
                if (request.slug() != null) {
                    throw slugTaken(slug);
                }
                if (attempt == SLUG_ATTEMPTS) {
                    throw ApiException.conflict("Could not find a free slug for '" + request.name() + "'; send one explicitly");
                }
            }
        }
    }

    public Project update(Project current, UpdateProjectRequest change) {
        Project updated = new Project(current.id(),
                Objects.requireNonNullElse(change.slug(), current.slug()),
                change.name() != null ? change.name().trim() : current.name(),
                change.description() != null ? change.description() : current.description(),
                Objects.requireNonNullElse(change.environment(), current.environment()),
                Objects.requireNonNullElse(change.isDefault(), current.isDefault()),
                change.settings() != null ? change.settings() : current.settings(),
                current.ownerSubject(), current.createdAt(), clock.instant());
        try {
            saveKeepingOneDefault(updated, dao -> dao.update(updated));
            invalidations.announce(InvalidationBus.Topic.PROJECT, current.slug());
            invalidations.announce(InvalidationBus.Topic.PROJECT, updated.slug());
        } catch (UnableToExecuteStatementException e) {
            if (SqlErrors.isUniqueViolation(e)) {
                throw slugTaken(updated.slug());
            }
            throw e;
        }
        return updated;
    }

    /** How many platform configurations the project has (its detail's {@code _count}). */
    public long countPlatformConfigurations(Project project) {
        return projects.countPlatformConfigurations(project.id());
    }

    /**
     * Writes a project; when it is its tenant's default, the others of that tenant stop being one
     * in the same transaction, as in the original, so "the default project" names one project.
     */
    private void saveKeepingOneDefault(Project project, Consumer<ProjectDao> write) {
        List<String> undefaulted = jdbi.inTransaction(handle -> {
            ProjectDao dao = handle.attach(ProjectDao.class);
            write.accept(dao);
            return project.isDefault()
                    ? dao.clearOtherDefaults(project.id(), project.ownerSubject(), project.updatedAt())
                    : List.<String>of();
        });
        undefaulted.forEach(slug -> invalidations.announce(InvalidationBus.Topic.PROJECT, slug));
    }

    /** Deletes the project with its keys (and, by cascade, everything else it owns). */
    public void delete(Project project) {
        List<String> keyHashes = jdbi.inTransaction(handle -> {
            List<String> hashes = handle.attach(ApiKeyDao.class).hashesForProject(project.id());
            handle.attach(ProjectDao.class).delete(project.id());
            return hashes;
        });
        keyHashes.forEach(hash -> invalidations.announce(InvalidationBus.Topic.API_KEY, hash));
        invalidations.announce(InvalidationBus.Topic.PROJECT, project.slug());
    }

    private static ApiException slugTaken(String slug) {
        return new ApiException(409, "slug_taken", "The slug '" + slug + "' is already taken",
                List.of(new ErrorDetail("slug", "already taken")));
    }
}
