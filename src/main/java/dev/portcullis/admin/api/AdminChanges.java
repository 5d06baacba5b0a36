package dev.portcullis.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.Core;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditEventRepository;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs one admin API change: the writes, their audit events and the configuration revision in one transaction
 * (so a refused or failed request leaves nothing behind), then, once committed, the audit log lines and this
 * instance's caches, so the change holds here at once and on the other instances at their next refresh.
 */
final class AdminChanges {

    /** The transaction of one change, and the audit events it records. */
    final class Change {
        private final Sql tx;
        private final long now;
        private final AdminCaller caller;
        private final List<AuditEvent> events = new ArrayList<>();
        private final List<List<String>> fields = new ArrayList<>();

        private Change(Sql tx, long now, AdminCaller caller) {
            this.tx = tx;
            this.now = now;
            this.caller = caller;
        }

        Sql tx() {
            return tx;
        }

        long now() {
            return now;
        }

        /**
         * Records that {@code resource} of {@code tenantId} went from {@code before} to {@code after} (null when it
         * did not exist or no longer does); members in {@code redacted} are recorded as changed, without values.
         * Nothing is recorded when the two are equal, except for actions that change no representation.
         */
        void record(String tenantId, String action, String resource, JsonNode before, JsonNode after, Set<String> redacted) {
            ObjectNode diff = AdminJson.diff(before, after, redacted);
            if (diff.isEmpty() && before != null && after != null) {
                return;
            }
            List<String> names = new ArrayList<>();
            diff.fieldNames().forEachRemaining(names::add);
            AuditEvent event = new AuditEvent(AuditEventRepository.newId(core.clock().millis()), tenantId, now, caller.actor(),
                    action, resource, AdminJson.text(diff));
            audit.insert(tx, event);
            events.add(event);
            fields.add(names);
        }

        void record(String tenantId, String action, String resource, JsonNode before, JsonNode after) {
            record(tenantId, action, resource, before, after, Set.of());
        }
    }

    private final Core core;
    private final AuditEventRepository audit;
    private final Runnable localInvalidation;

    AdminChanges(Core core, Runnable localInvalidation) {
        this.core = core;
        this.audit = new AuditEventRepository(core.sql());
        this.localInvalidation = localInvalidation;
    }

    <T> T apply(AdminCaller caller, Function<Change, T> work) {
        List<Change> done = new ArrayList<>(1);
        T result = core.sql().inTransaction(tx -> {
            Change change = new Change(tx, core.now(), caller);
            T value = work.apply(change);
            if (!change.events.isEmpty()) {
                ConfigRevision.bump(tx);
            }
            done.add(change);
            return value;
        });
        Change change = done.get(0);
        for (int i = 0; i < change.events.size(); i++) {
            core.audit().adminChange(change.events.get(i), change.fields.get(i));
        }
        if (!change.events.isEmpty()) {
            localInvalidation.run();
        }
        return result;
    }
}
