package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.admin.RequestValidator;
import dev.portcullis.admin.SpecWriter;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.AdminRole;
import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.identity.SubjectRoles;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.Tenant;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code tenants/{tenant}/users} (realm U) and {@code tenants/{tenant}/customers} (realm C), in the tenants
 * file's field names and checked by its validator. Passwords are write-only: given when a subject is created or
 * set at {@link SubjectSignInResource}, never part of a representation, an ETag or an audit event's values. A
 * subject is disabled, not deleted, so tokens and audit events keep naming it.
 */
final class SubjectResource {

    /** Users or customers: the realm, the path segment, and what one of them is called. */
    enum Kind {
        USERS(RealmType.USER, "users", "user"),
        CUSTOMERS(RealmType.CUSTOMER, "customers", "customer");

        final RealmType realm;
        final String segment;
        final String noun;
        /** The path parameter naming one: {@code user_id} or {@code customer_id}. */
        final String idParameter;

        Kind(RealmType realm, String segment, String noun) {
            this.realm = realm;
            this.segment = segment;
            this.noun = noun;
            this.idParameter = noun + "_id";
        }

        String path() {
            return "/tenants/{tenant}/" + segment;
        }

        /** The path of one subject, with its id parameter. */
        String itemPath() {
            return path() + "/{" + idParameter + "}";
        }

        /** The resource an audit event names, relative to its tenant. */
        String resource(String id) {
            return segment + "/" + id;
        }
    }

    private final Core core;
    private final AdminChanges changes;
    private final Kind kind;

    private SubjectResource(Core core, AdminChanges changes, Kind kind) {
        this.core = core;
        this.changes = changes;
        this.kind = kind;
    }

    /** Mounts users and customers, each with its password and sessions. */
    static void mountAll(AdminRouter router, Core core, AdminChanges changes) {
        for (Kind kind : Kind.values()) {
            new SubjectResource(core, changes, kind).mount(router);
            new SubjectSignInResource(core, changes, kind).mount(router);
        }
    }

    private void mount(AdminRouter router) {
        router.get(kind.path(), this::list);
        router.post(kind.path(), this::create);
        router.get(kind.itemPath(), this::read);
        router.put(kind.itemPath(), request -> update(request, false));
        router.patch(kind.itemPath(), request -> update(request, true));
    }

    /** A subject as the tenants file writes it, without its password; absent optional fields are null. */
    static ObjectNode representation(Sql sql, Kind kind, Subject subject) {
        ObjectNode json = AdminJson.object();
        json.put("id", subject.id());
        if (kind == Kind.USERS) {
            json.put("username", subject.username().orElse(null));
        }
        json.put("email", subject.email().orElse(null));
        json.put("enabled", subject.enabled());
        if (kind == Kind.USERS) {
            // stored, not only effective, roles: a PUT of this representation must not drop a disabled user's roles
            SubjectRoles.stored(sql, subject.tenantId(), subject.id()).forEach(json.putArray("roles")::add);
        }
        return json;
    }

    static Subject subject(Sql sql, Kind kind, String tenantId, String id) {
        ClientResource.tenant(sql, tenantId);
        return new SubjectRepository(sql).find(new SubjectLookup(tenantId, kind.realm, SubjectLookup.By.USER_ID, id))
                .orElseThrow(() -> Problem.notFound("no " + kind.noun + " " + id + " in tenant " + tenantId));
    }

    /**
     * Only a system-wide caller grants or takes away {@code system_admin}: a Partition Administrator of tenant
     * {@code system} administers that tenant's users, but must not make itself (or anyone) a system administrator.
     */
    static void requireMayGrant(AdminCaller caller, Set<String> stored, Set<String> wanted) {
        String systemAdmin = AdminRole.SYSTEM_ADMIN.label();
        if (stored.contains(systemAdmin) != wanted.contains(systemAdmin) && !caller.systemWide()) {
            throw Problem.of(Problem.Type.FORBIDDEN, "only a system administrator may grant or take away role " + systemAdmin)
                    .with("field", "roles");
        }
    }

    /**
     * Takes the subject's row lock before reading it, so two changes based on the same read cannot both pass
     * their check (PostgreSQL holds the row until commit; SQLite has one writer at a time anyway).
     */
    static void lock(Sql tx, Kind kind, String tenantId, String id) {
        tx.update("UPDATE subjects SET updated_at = updated_at WHERE tenant_id = ? AND realm = ? AND id = ?",
                tenantId, kind.realm.databaseValue(), id);
    }

    /** Filters: {@code q}, the start of a username or email (any case), and {@code enabled}. Pages by id, in SQL. */
    private void list(AdminRequest request) {
        String tenantId = request.tenant();
        ClientResource.tenant(core.sql(), tenantId);
        Optional<String> prefix = request.query("q").map(q -> q.toLowerCase(Locale.ROOT));
        Optional<Boolean> enabled = request.booleanQuery("enabled");
        Optional<String> after = Cursors.after(request);
        int limit = request.limit();
        List<Subject> found = new SubjectRepository(core.sql()).page(tenantId, kind.realm, after, enabled, prefix, limit + 1);
        List<Subject> page = found.subList(0, Math.min(limit, found.size()));
        request.page(page.stream().map(s -> (JsonNode) representation(core.sql(), kind, s)).toList(), found.size() > limit
                ? Optional.of(Cursors.encode(page.get(page.size() - 1).id())) : Optional.empty());
    }

    private void read(AdminRequest request) {
        String tenantId = request.tenant();
        request.okWithEtag(representation(core.sql(), kind, subject(core.sql(), kind, tenantId, request.path(kind.idParameter))));
    }

    /** Body: the tenants file's fields; {@code id} is generated when absent, {@code password} is optional. */
    private void create(AdminRequest request) {
        String tenantId = request.tenant();
        ObjectNode body = request.body();
        refuseHash(body);
        if (!body.hasNonNull("id")) {
            body.put("id", UUID.randomUUID().toString());
        }
        // checked before hashing, so a refused request costs no Argon2 and the hash is made outside the transaction
        SubjectSpec checked = RequestValidator.subject(body, ClientResource.tenant(core.sql(), tenantId), kind.realm);
        if (!AdminRequest.isPathValue(checked.id())) {
            throw Problem.invalidField("id", "an id given to the API may have only letters, digits and . _ ~ @ + : -, so that "
                    + "it can be named in a URL");
        }
        ObjectNode toStore = body.deepCopy();
        toStore.remove("password");
        checked.password().ifPresent(password -> toStore.put("password_hash", SubjectSignInResource.hash(password)));
        ObjectNode created = changes.apply(request.caller(), change -> {
            SubjectSpec spec = RequestValidator.subject(toStore, ClientResource.tenant(change.tx(), tenantId), kind.realm);
            requireMayGrant(request.caller(), Set.of(), spec.roles());
            SubjectRepository subjects = new SubjectRepository(change.tx());
            if (subjects.find(new SubjectLookup(tenantId, kind.realm, SubjectLookup.By.USER_ID, spec.id())).isPresent()) {
                throw Problem.conflict("tenant " + tenantId + " already has a " + kind.noun + " " + spec.id()).with("field", "id");
            }
            requireUnique(change.tx(), tenantId, spec);
            new SpecWriter(change.tx(), change.now()).subject(tenantId, kind.realm, spec);
            ObjectNode after = representation(change.tx(), kind, subject(change.tx(), kind, tenantId, spec.id()));
            ObjectNode recorded = after.deepCopy();
            if (spec.passwordHash().isPresent()) {
                recorded.put("password", "set");
            }
            change.record(tenantId, kind.noun + ".created", kind.resource(spec.id()), null, recorded, Set.of("password"));
            return after;
        });
        request.created("/tenants/" + tenantId + "/" + kind.segment + "/" + created.get("id").asText(), created);
    }

    /**
     * PUT replaces the subject with the body; PATCH merges the body into it (RFC 7396). Both need If-Match.
     * Disabling also signs the subject out everywhere, so enabling it later brings back none of its old sessions.
     */
    private void update(AdminRequest request, boolean merge) {
        String tenantId = request.tenant();
        String id = request.path(kind.idParameter);
        ObjectNode body = request.body();
        String ifMatch = request.ifMatch();
        refuseHash(body);
        if (body.has("password")) {
            throw Problem.invalidField("password", "a password is set with PUT .../" + kind.segment + "/" + id + "/password "
                    + "(or POST .../password-reset), so representations and their ETags never involve one");
        }
        ObjectNode updated = changes.apply(request.caller(), change -> {
            Tenant tenant = ClientResource.tenant(change.tx(), tenantId);
            lock(change.tx(), kind, tenantId, id);
            ObjectNode before = representation(change.tx(), kind, subject(change.tx(), kind, tenantId, id));
            AdminRequest.requireMatch(ifMatch, AdminJson.etag(before));
            ObjectNode candidate = merge ? AdminJson.mergePatch(before, body) : body.deepCopy();
            JsonNode givenId = candidate.get("id");
            if (givenId != null && !givenId.isNull() && !givenId.asText().equals(id)) {
                throw Problem.invalidField("id", "id cannot change (it is " + id + ")");
            }
            candidate.put("id", id);
            SubjectSpec spec = RequestValidator.subject(candidate, tenant, kind.realm);
            requireMayGrant(request.caller(), SubjectRoles.stored(change.tx(), tenantId, id), spec.roles());
            requireUnique(change.tx(), tenantId, spec);
            new SpecWriter(change.tx(), change.now()).subject(tenantId, kind.realm, spec);
            ObjectNode after = representation(change.tx(), kind, subject(change.tx(), kind, tenantId, id));
            boolean wasEnabled = before.get("enabled").asBoolean();
            boolean enabled = after.get("enabled").asBoolean();
            change.record(tenantId, kind.noun + "." + (wasEnabled == enabled ? "updated" : enabled ? "enabled" : "disabled"),
                    kind.resource(id), before, after);
            if (wasEnabled && !enabled) {
                SubjectSignInResource.signOut(change, kind, tenantId, id);
            }
            return after;
        });
        request.okWithEtag(updated);
    }

    /** Another subject of the realm holding the username or email (any case) is a conflict on that field. */
    private void requireUnique(Sql tx, String tenantId, SubjectSpec spec) {
        SubjectRepository subjects = new SubjectRepository(tx);
        spec.username().flatMap(username -> subjects.find(new SubjectLookup(tenantId, kind.realm, SubjectLookup.By.USERNAME, username)))
                .filter(other -> !other.id().equals(spec.id()))
                .ifPresent(other -> {
                    throw Problem.conflict(kind.noun + " " + other.id() + " already has the username " + spec.username().get())
                            .with("field", "username");
                });
        spec.email().flatMap(email -> subjects.find(new SubjectLookup(tenantId, kind.realm, SubjectLookup.By.EMAIL, email)))
                .filter(other -> !other.id().equals(spec.id()))
                .ifPresent(other -> {
                    throw Problem.conflict(kind.noun + " " + other.id() + " already has the email " + spec.email().get())
                            .with("field", "email");
                });
    }

    /** Hashes come from tenants files made by export; through the API a password is sent, and hashed here. */
    private static void refuseHash(ObjectNode body) {
        if (body.has("password_hash")) {
            throw Problem.invalidField("password_hash", "the API takes a password, not password_hash (which tenants files "
                    + "written by export carry)");
        }
    }
}
