package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.admin.RequestValidator;
import dev.portcullis.admin.SpecWriter;
import dev.portcullis.admin.api.SubjectResource.Kind;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.signin.SubjectSignOut;
import dev.portcullis.tenant.Tenant;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;

/**
 * What lets a user or customer sign in: {@code .../password} sets its password, {@code .../password-reset} sets a
 * generated one and shows it once, {@code .../sessions} signs it out everywhere. A password is checked by the
 * tenants file's rules, hashed before the transaction starts, and audited only as changed, never by value.
 */
final class SubjectSignInResource {

    static final int GENERATED_LENGTH = 20;
    /** Letters and digits without look-alikes (0 O 1 l I), so a generated password can be read out and typed. */
    static final String READABLE = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Core core;
    private final AdminChanges changes;
    private final Kind kind;

    SubjectSignInResource(Core core, AdminChanges changes, Kind kind) {
        this.core = core;
        this.changes = changes;
        this.kind = kind;
    }

    void mount(AdminRouter router) {
        router.put(kind.itemPath() + "/password", this::setPassword);
        router.post(kind.itemPath() + "/password-reset", this::resetPassword);
        router.delete(kind.itemPath() + "/sessions", this::endSessions);
    }

    /** Body: {@code {"password": "..."}}, at least 8 characters, as in the tenants file. */
    private void setPassword(AdminRequest request) {
        String tenantId = request.tenant();
        String id = request.path(kind.idParameter);
        ObjectNode body = request.body();
        body.fieldNames().forEachRemaining(key -> {
            if (!key.equals("password")) {
                throw Problem.invalidField(key, "unknown field '" + key + "'; this resource takes only password");
            }
        });
        String password = SecretResource.text(body, "password");
        if (password == null) {
            throw Problem.invalidField("password", "send the new password as {\"password\": \"...\"}");
        }
        ObjectNode check = SubjectResource.representation(core.sql(), kind, SubjectResource.subject(core.sql(), kind, tenantId, id));
        check.put("password", password);
        RequestValidator.subject(check, ClientResource.tenant(core.sql(), tenantId), kind.realm);
        store(request, tenantId, id, hash(password), "password.set");
        request.noContent();
    }

    /** Sets a generated password and answers it, this once (the answer, like every one of this API, is not stored). */
    private void resetPassword(AdminRequest request) {
        String tenantId = request.tenant();
        String id = request.path(kind.idParameter);
        SubjectResource.subject(core.sql(), kind, tenantId, id);
        String password = generate();
        store(request, tenantId, id, hash(password), "password.reset");
        ObjectNode answer = AdminJson.object();
        answer.put("password", password);
        request.ok(answer);
    }

    private void endSessions(AdminRequest request) {
        String tenantId = request.tenant();
        String id = request.path(kind.idParameter);
        changes.apply(request.caller(), change -> {
            SubjectResource.subject(change.tx(), kind, tenantId, id);
            signOut(change, kind, tenantId, id);
            return null;
        });
        request.noContent();
    }

    /** Writes the hash through the tenants file's applier, with the subject as it is now; the event says only "changed". */
    private void store(AdminRequest request, String tenantId, String id, String hash, String verb) {
        changes.apply(request.caller(), change -> {
            Tenant tenant = ClientResource.tenant(change.tx(), tenantId);
            SubjectResource.lock(change.tx(), kind, tenantId, id);
            ObjectNode candidate = SubjectResource.representation(change.tx(), kind, SubjectResource.subject(change.tx(), kind, tenantId, id));
            candidate.put("password_hash", hash);
            new SpecWriter(change.tx(), change.now()).subject(tenantId, kind.realm, RequestValidator.subject(candidate, tenant, kind.realm));
            ObjectNode changed = AdminJson.object();
            changed.put("password", "set");
            change.record(tenantId, kind.noun + "." + verb, kind.resource(id), AdminJson.object(), changed, Set.of("password"));
            return null;
        });
    }

    /** Ends the subject's sessions, pending codes and refresh tokens in the change's transaction, and audits the counts. */
    static void signOut(AdminChanges.Change change, Kind kind, String tenantId, String id) {
        SubjectSignOut.Ended ended = SubjectSignOut.everywhere(change.tx(), tenantId, kind.realm, id, change.now());
        ObjectNode counts = AdminJson.object();
        counts.put("sessions", ended.sessions());
        counts.put("authorization_codes", ended.authorizationCodes());
        counts.put("refresh_token_families", ended.refreshTokenFamilies());
        change.record(tenantId, kind.noun + ".sessions.ended", kind.resource(id) + "/sessions", null, counts);
    }

    /** Argon2id on the hashing threads; when they are saturated the caller is asked to retry rather than failed. */
    static String hash(String password) {
        try {
            return PasswordHasher.hash(password);
        } catch (PasswordHasher.Busy busy) {
            throw Problem.of(Problem.Type.UNAVAILABLE, "the server is busy checking passwords; try again shortly")
                    .withHeaders(Map.of("Retry-After", "2"));
        }
    }

    /** 20 characters from a 57-character alphabet: about 116 bits. */
    static String generate() {
        StringBuilder password = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            password.append(READABLE.charAt(RANDOM.nextInt(READABLE.length())));
        }
        return password.toString();
    }
}
