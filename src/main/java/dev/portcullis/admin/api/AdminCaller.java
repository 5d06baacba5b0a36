package dev.portcullis.admin.api;

import dev.portcullis.audit.AuditEvent;

/**
 * Who is calling the admin API, as its access token and the stored roles say.
 *
 * @param tenantId   the tenant whose realm issued the token
 * @param subject    the token's {@code sub}: a user's id, or the client's id for an automation client
 * @param systemWide a system administrator (role {@code system_admin}) or an automation client of the
 *                   reserved tenant {@code system}: may manage every tenant and the tenant list
 */
public record AdminCaller(String tenantId, String subject, String clientId, String actorType, boolean systemWide) {

    /** The reserved tenant of the system administrators. */
    public static final String SYSTEM_TENANT = dev.portcullis.identity.AdminRole.SYSTEM_TENANT;

    public boolean mayManage(String tenant) {
        return systemWide || tenantId.equals(tenant);
    }

    /** Refuses a tenant this caller does not administer, before anything of it is read, so the answer reveals nothing. */
    public void requireTenant(String tenant) {
        if (!mayManage(tenant)) {
            throw Problem.of(Problem.Type.FORBIDDEN, "your token administers tenant " + tenantId + " only");
        }
    }

    public void requireSystemWide(String what) {
        if (!systemWide) {
            throw Problem.of(Problem.Type.FORBIDDEN, what + " is for system administrators (tenant " + SYSTEM_TENANT + ")");
        }
    }

    public AuditEvent.Actor actor() {
        return new AuditEvent.Actor(tenantId, subject, clientId, actorType);
    }
}
