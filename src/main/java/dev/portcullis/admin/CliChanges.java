package dev.portcullis.admin;

import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditEventRepository;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Sql;

import java.time.Clock;

/** A change made by a command: the configuration revision and its audit event, in the change's own transaction. */
final class CliChanges {

    private CliChanges() {
    }

    /** The actor is the operating-system user running the command, as {@code portcullis apply} records it. */
    static void record(Sql tx, Clock clock, String tenantId, String action, String resource) {
        ConfigRevision.bump(tx);
        new AuditEventRepository(tx).insert(tx, new AuditEvent(AuditEventRepository.newId(clock.millis()), tenantId,
                clock.instant().getEpochSecond(), new AuditEvent.Actor("", System.getProperty("user.name", "unknown"),
                "portcullis cli", "operator"), action, resource, "{}"));
    }
}
