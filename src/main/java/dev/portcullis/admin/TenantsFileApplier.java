package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.TenantSpec;
import dev.portcullis.client.ClientSecretHasher;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.audit.AuditEvent;
import dev.portcullis.audit.AuditEventRepository;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Sql;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies a validated tenants file in one transaction, upserting by id: applying the same file
 * twice changes nothing, and a failure leaves the database as it was. Secrets and passwords are
 * stored only as hashes; a password already matching its stored hash is not re-hashed.
 *
 * <p>A dry run is the same apply in a transaction that is always rolled back: one code path writes
 * and describes, so what the dry run reports cannot drift from what the apply does. Everything it
 * does happens inside that transaction (the configuration revision included); ids it generates are
 * not reported, since they vanish with the rollback.
 */
public final class TenantsFileApplier {

    /** {@code prune}: also disable or remove what the file's tenants hold that the file does not ({@link TenantsFilePruner}). */
    public record Options(boolean dryRun, boolean prune) {
        public static final Options APPLY = new Options(false, false);
    }

    /**
     * {@code generatedRegistrations}: "TENANT name: id" for each identity provider that was given a new
     * registration_id (empty after a dry run); {@code entries}: every object met, changed or not.
     */
    public record Result(int tenants, int changes, List<String> generatedRegistrations, List<ApplyChange> entries,
                         boolean dryRun) {

        /** The report as the apply command prints it: per tenant, per object; without unchanged ones unless asked. */
        public List<String> lines(boolean withUnchanged) {
            return ApplyReport.lines(entries, withUnchanged);
        }
    }

    /** Carries a dry run's result out of the transaction it rolls back. */
    private static final class RolledBack extends RuntimeException {
        final transient Result result;

        RolledBack(Result result) {
            super("dry run", null, false, false);
            this.result = result;
        }
    }

    private final Sql sql;
    private final ClientSecretHasher secretHasher;
    private final Clock clock;

    public TenantsFileApplier(Sql sql, ClientSecretHasher secretHasher, Clock clock) {
        this.sql = sql;
        this.secretHasher = secretHasher;
        this.clock = clock;
    }

    public Result apply(TenantsFile file) {
        return apply(file, Options.APPLY);
    }

    public Result apply(TenantsFile file, Options options) {
        return apply(file, options, tx -> { });
    }

    /** As {@link #apply(TenantsFile, Options)}, then {@code alsoInTransaction} in the same transaction (not on a dry run). */
    public Result apply(TenantsFile file, Options options, java.util.function.Consumer<Sql> alsoInTransaction) {
        long now = clock.instant().getEpochSecond();
        try {
            return sql.inTransaction(tx -> {
                ApplyReport report = new ApplyReport();
                List<String> generated = new ArrayList<>();
                for (TenantSpec tenant : file.tenants()) {
                    applyTenant(tx, tenant, now, report, generated, options.prune());
                }
                if (report.changes() > 0) {
                    ConfigRevision.bump(tx);
                }
                List<AuditEvent> events = auditEvents(report.entries(), now);
                AuditEventRepository audit = new AuditEventRepository(tx);
                events.forEach(event -> audit.insert(tx, event));
                Result result = new Result(file.tenants().size(), report.changes(),
                        options.dryRun() ? List.of() : List.copyOf(generated), report.entries(), options.dryRun());
                if (options.dryRun()) {
                    throw new RolledBack(result);
                }
                alsoInTransaction.accept(tx);
                return result;
            });
        } catch (RolledBack dryRun) {
            return dryRun.result;
        }
    }

    /**
     * An audit event per object the file changed, as the admin API writes them, so the audit trail holds every
     * change whichever way it came: the actor is the operating-system user who ran the command, the changes the
     * file keys that differed (never values: a file's values may be secrets). They are stored, readable through
     * the admin API, but not logged: the command prints the same changes as its report.
     */
    private List<AuditEvent> auditEvents(List<ApplyChange> entries, long now) {
        AuditEvent.Actor actor = new AuditEvent.Actor("", System.getProperty("user.name", "unknown"), "portcullis apply", "operator");
        List<AuditEvent> events = new ArrayList<>();
        for (ApplyChange entry : entries) {
            if (!entry.isChange()) {
                continue;
            }
            ObjectNode changes = JsonNodeFactory.instance.objectNode();
            entry.fields().forEach(field -> changes.putObject(field).put("changed", true));
            events.add(new AuditEvent(AuditEventRepository.newId(clock.millis()), entry.tenant(), now, actor,
                    "tenants_file." + entry.action().name().toLowerCase(java.util.Locale.ROOT), entry.object(), changes.toString()));
        }
        return events;
    }

    private void applyTenant(Sql tx, TenantSpec spec, long now, ApplyReport report, List<String> generated, boolean prune) {
        TenantApplier tenant = new TenantApplier(tx, report, now);
        tenant.apply(spec);
        ClientApplier clients = new ClientApplier(tx, secretHasher, report, now);
        for (ClientSpec client : spec.clients()) {
            clients.apply(spec.id(), client);
        }
        Set<String> registrations = IdentityProviderApplier.apply(tx, spec, now, report, generated);
        tenant.anonymousCustomers(spec);
        if (prune) {
            new TenantsFilePruner(tx, report, now).prune(spec, registrations);
        }
    }
}
