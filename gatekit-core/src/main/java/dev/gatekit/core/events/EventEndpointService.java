package dev.gatekit.core.events;

import dev.gatekit.core.crypto.CredentialCipher;
import dev.gatekit.core.errors.ApiException;
import dev.gatekit.core.errors.ErrorDetail;
import dev.gatekit.core.history.Cursor;
import dev.gatekit.core.http.OutboundAddresses;
import dev.gatekit.core.messages.Priority;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.queue.DispatchQueue;
import dev.gatekit.core.redis.InvalidationBus;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** A project's event endpoints, their secrets (sealed, shown once) and their delivery logs. */
public class EventEndpointService {

    static final int MAX_ENDPOINTS_PER_PROJECT = 20;
    private static final int MAX_URL_LENGTH = 2048;
    private static final int MAX_DESCRIPTION_LENGTH = 500;
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new or rolled endpoint with its secret in clear, for the one answer that shows it. */
    public record Issued(EventEndpoint endpoint, String secret) {
    }

    private final Jdbi jdbi;
    private final EventDao dao;
    private final CredentialCipher cipher;
    private final DispatchQueue queue;
    private final EventSettings settings;
    private final Clock clock;
    private final InvalidationBus invalidations;

    public EventEndpointService(Jdbi jdbi, CredentialCipher cipher, DispatchQueue queue, InvalidationBus invalidations, EventSettings settings,
                                Clock clock) {
        this.jdbi = jdbi;
        this.dao = jdbi.onDemand(EventDao.class);
        this.cipher = cipher;
        this.queue = queue;
        this.settings = settings;
        this.clock = clock;
        this.invalidations = invalidations;
    }

    /** Tells every instance's {@link EventPublisher} that the project's endpoints changed. */
    private void announceChange(Project project) {
        invalidations.announce(InvalidationBus.Topic.EVENT_ENDPOINTS, project.id().toString());
    }

    public List<EventEndpoint> list(Project project) {
        return dao.endpointsOf(project.id());
    }

    public EventEndpoint get(Project project, UUID id) {
        return dao.findEndpoint(id).filter(e -> e.projectId().equals(project.id()))
                .orElseThrow(() -> ApiException.notFound("Event endpoint '" + id + "' not found"));
    }

    public Issued create(Project project, EventEndpointRequest request) {
        if (request == null) {
            throw ApiException.invalid("url", "required");
        }
        List<ErrorDetail> errors = new ArrayList<>();
        String url = url(request.url(), errors);
        List<String> kinds = kinds(request.kinds(), errors);
        String description = description(request.description(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (dao.endpointsOf(project.id()).size() >= MAX_ENDPOINTS_PER_PROJECT) {
            throw ApiException.invalid("url", "a project may have at most " + MAX_ENDPOINTS_PER_PROJECT + " event endpoints");
        }
        UUID id = UUID.randomUUID();
        String secret = newSecret();
        dao.insertEndpoint(id, project.id(), url, description, kinds.toArray(String[]::new), cipher.encrypt(secret),
                request.isActive() == null || request.isActive(), clock.instant());
        announceChange(project);
        return new Issued(dao.findEndpoint(id).orElseThrow(), secret);
    }

    public EventEndpoint update(Project project, UUID id, EventEndpointRequest change) {
        EventEndpoint current = get(project, id);
        if (change == null) {
            return current;
        }
        List<ErrorDetail> errors = new ArrayList<>();
        String url = change.url() == null ? current.url() : url(change.url(), errors);
        List<String> kinds = change.kinds() == null ? current.kinds() : kinds(change.kinds(), errors);
        String description = change.description() == null ? current.description() : description(change.description(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        boolean active = change.isActive() == null ? current.isActive() : change.isActive();
        dao.updateEndpoint(id, url, description, kinds.toArray(String[]::new), current.secretCiphertext(), active, clock.instant());
        announceChange(project);
        return get(project, id);
    }

    public Issued rollSecret(Project project, UUID id) {
        EventEndpoint current = get(project, id);
        String secret = newSecret();
        dao.updateEndpoint(id, current.url(), current.description(), current.kinds().toArray(String[]::new), cipher.encrypt(secret),
                current.isActive(), clock.instant());
        announceChange(project);
        return new Issued(get(project, id), secret);
    }

    public void delete(Project project, UUID id) {
        get(project, id);
        dao.deleteEndpoint(id);
        announceChange(project);
    }

    public EventDeliveryView.Page deliveries(Project project, UUID endpointId, String cursor, Integer limit) {
        get(project, endpointId);
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ApiException.badParameter("limit", "must be 1 to " + MAX_PAGE);
        }
        Optional<Cursor> after = Cursor.parse(cursor);
        List<EventDelivery> rows = dao.deliveriesOf(endpointId, after.map(Cursor::createdAt).orElse(null),
                after.map(Cursor::id).orElse(null), size + 1);
        boolean more = rows.size() > size;
        List<EventDelivery> page = more ? rows.subList(0, size) : rows;
        List<EventDeliveryView> views = new ArrayList<>();
        for (EventDelivery delivery : page) {
            String kind = dao.findEvent(delivery.eventId()).map(StoredEvent::kind).orElse(null);
            views.add(view(delivery, kind));
        }
        String next = more ? new Cursor(page.get(page.size() - 1).createdAt(), page.get(page.size() - 1).id()).encode() : null;
        return new EventDeliveryView.Page(views, next);
    }

    /** Sends the delivery's event to its endpoint again, as a new delivery; returns it. */
    public EventDeliveryView redeliver(Project project, UUID endpointId, UUID deliveryId) {
        EventEndpoint endpoint = get(project, endpointId);
        EventDelivery original = dao.findDelivery(deliveryId).filter(d -> d.endpointId().equals(endpoint.id()))
                .orElseThrow(() -> ApiException.notFound("Delivery '" + deliveryId + "' not found"));
        UUID id = UUID.randomUUID();
        dao.insertDelivery(id, original.eventId(), endpoint.id(), clock.instant());
        queue.enqueue(id, Priority.NORMAL);
        EventDelivery created = dao.findDelivery(id).orElseThrow();
        return view(created, dao.findEvent(created.eventId()).map(StoredEvent::kind).orElse(null));
    }

    static EventDeliveryView view(EventDelivery d, String kind) {
        return new EventDeliveryView(d.id(), d.eventId(), kind, d.state(), d.attempts(), d.lastStatusCode(), d.lastError(),
                d.nextAttemptAt(), d.createdAt(), d.updatedAt(), d.deliveredAt());
    }

    private String url(String value, List<ErrorDetail> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new ErrorDetail("url", "required"));
            return null;
        }
        String url = value.trim();
        if (url.length() > MAX_URL_LENGTH) {
            errors.add(new ErrorDetail("url", "must be at most " + MAX_URL_LENGTH + " characters"));
            return null;
        }
        OutboundAddresses.problem(url, settings.allowPrivateEndpoints(), EventSettings.ALLOW_PRIVATE_SETTING).ifPresent(p -> errors.add(new ErrorDetail("url", p)));
        return url;
    }

    private static List<String> kinds(List<String> values, List<ErrorDetail> errors) {
        if (values == null || values.isEmpty()) {
            errors.add(new ErrorDetail("kinds", "name at least one of " + String.join(", ", EventKinds.KNOWN) + ", or *"));
            return List.of();
        }
        Set<String> kinds = new LinkedHashSet<>();
        for (String value : values) {
            String kind = value == null ? "" : value.trim();
            if (!EventKinds.KNOWN.contains(kind) && !EventKinds.ALL.equals(kind)) {
                errors.add(new ErrorDetail("kinds", "unknown kind '" + kind + "'; known: " + String.join(", ", EventKinds.KNOWN) + ", *"));
            } else {
                kinds.add(kind);
            }
        }
        return List.copyOf(kinds);
    }

    private static String description(String value, List<ErrorDetail> errors) {
        if (value != null && value.length() > MAX_DESCRIPTION_LENGTH) {
            errors.add(new ErrorDetail("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters"));
        }
        return value;
    }

    private static String newSecret() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
