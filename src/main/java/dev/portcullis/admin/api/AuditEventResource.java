package dev.portcullis.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditEventRepository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code tenants/{tenant}/audit-events}: the changes made to a tenant through the admin API, newest first, as
 * {@link AdminChanges} recorded them (changed fields with their values; secrets and passwords only as changed).
 * Read-only: the trail is written by the changes themselves, in their own transactions.
 */
final class AuditEventResource {

    private static final String PATH = "/tenants/{tenant}/audit-events";
    /** {@link AuditEventRepository#newId}: hex digits, a time stamp then randomness (the widths may change, the alphabet not). */
    private static final Pattern EVENT_ID = Pattern.compile("[0-9a-f]{16,64}");

    private final Core core;
    private final AuditEventRepository events;

    AuditEventResource(Core core) {
        this.core = core;
        this.events = new AuditEventRepository(core.sql());
    }

    void mount(AdminRouter router) {
        router.get(PATH, this::list);
        router.get(PATH + "/{event_id}", this::read);
    }

    static ObjectNode representation(AuditEvent event) {
        ObjectNode json = AdminJson.object();
        json.put("id", event.id());
        json.put("tenant", event.tenantId());
        json.put("occurred_at", Instant.ofEpochSecond(event.occurredAt()).toString());
        ObjectNode actor = json.putObject("actor");
        actor.put("tenant", event.actor().tenantId());
        actor.put("subject", event.actor().subject());
        actor.put("client_id", event.actor().clientId());
        actor.put("actor_type", event.actor().actorType());
        json.put("action", event.action());
        json.put("resource", event.resource());
        json.set("changes", changes(event));
        return json;
    }

    private static JsonNode changes(AuditEvent event) {
        try {
            return AdminJson.MAPPER.readTree(event.changes());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit event " + event.id() + " holds changes that are not JSON", e);
        }
    }

    /**
     * Filters: {@code actor} (a subject or client id), {@code action} (exact, or a prefix ending in '.', such as
     * {@code client.}), {@code since} and {@code until} (RFC 3339 instants; since inclusive, until exclusive).
     * Pages by event id, newest first; the cursor stands for the last id of the page.
     */
    private void list(AdminRequest request) {
        String tenantId = request.tenant();
        ClientResource.tenant(core.sql(), tenantId);
        Optional<Long> since = request.query("since").map(value -> instant("since", value).getEpochSecond());
        Optional<Long> until = request.query("until").map(value -> {
            Instant instant = instant("until", value);
            // events are stored to the second: one in the same second but before a fractional until is before it
            return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
        });
        if (since.isPresent() && until.isPresent() && since.get() >= until.get()) {
            throw Problem.invalidField("until", "until must be after since");
        }
        AuditEventRepository.Filter filter = new AuditEventRepository.Filter(request.query("actor"), request.query("action"),
                since, until);
        Optional<String> before = Cursors.after(request);
        if (before.isPresent() && !EVENT_ID.matcher(before.get()).matches()) {
            throw Problem.invalidField("cursor", "cursor is not one this API gave out; use the next_cursor of the previous page");
        }
        int limit = request.limit();
        List<AuditEvent> found = events.list(tenantId, filter, before, limit + 1);
        boolean more = found.size() > limit;
        List<AuditEvent> page = more ? found.subList(0, limit) : found;
        request.page(page.stream().map(event -> (JsonNode) representation(event)).toList(),
                more ? Optional.of(Cursors.encode(page.get(limit - 1).id())) : Optional.empty());
    }

    private void read(AdminRequest request) {
        String tenantId = request.tenant();
        String id = request.path("event_id");
        ClientResource.tenant(core.sql(), tenantId);
        request.ok(representation(events.find(tenantId, id)
                .orElseThrow(() -> Problem.notFound("tenant " + tenantId + " has no audit event " + id))));
    }

    private static Instant instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw Problem.invalidField(field, field + " must be an RFC 3339 instant such as 2026-01-31T12:00:00Z, not '"
                    + AdminRequest.shortened(value) + "'");
        }
    }
}
