package dev.portcullis.audit;

/**
 * One change made through the admin API. {@code changes} is a JSON object of the changed fields, each
 * {@code {"from": ..., "to": ...}}; fields holding secrets or passwords appear with no values.
 *
 * @param tenantId the tenant the change is about, also when a system administrator changed the tenant's own settings
 * @param resource the changed resource's path under the tenant, e.g. {@code clients/web-1/secrets/primary}, or
 *                 {@code tenant} for the tenant's own settings
 */
public record AuditEvent(String id, String tenantId, long occurredAt, Actor actor, String action, String resource,
                         String changes) {

    /** Who made the change: the subject and client of the access token, and the tenant that issued it. */
    public record Actor(String tenantId, String subject, String clientId, String actorType) {
    }
}
