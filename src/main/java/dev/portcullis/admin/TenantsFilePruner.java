package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.admin.TenantsFile.TenantSpec;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.egain.AnonymousCustomerPolicies;
import dev.portcullis.exchange.IdentityProvider;
import dev.portcullis.exchange.IdentityProviderRepository;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.TenantRepository;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code apply --prune}: takes out of a file's tenant what the file does not hold, after the file
 * is applied and in the same transaction. Users, customers and clients are disabled, not deleted,
 * so their history (tokens, consents, audit) keeps its subject and re-adding them to the file
 * restores them; dynamically registered clients are left alone (no file holds them); identity providers are deleted (a registration has no disabled state, and its
 * absence is what stops the exchange). A scope is deleted only when no client of the tenant and
 * no anonymous-customer policy holds it: a scope still held by a (disabled) client stays, and is
 * reported as kept, so re-enabling that client cannot find its scopes gone. Secrets are never
 * pruned: a client's secrets change only through its {@code secrets:} list. Tenants the file does
 * not name are not read at all.
 */
final class TenantsFilePruner {

    private final Sql tx;
    private final ApplyReport report;
    private final long now;

    TenantsFilePruner(Sql tx, ApplyReport report, long now) {
        this.tx = tx;
        this.report = report;
        this.now = now;
    }

    void prune(TenantSpec spec, Set<String> registrationIds) {
        subjects(spec.id(), RealmType.USER, spec.users());
        subjects(spec.id(), RealmType.CUSTOMER, spec.customers());
        ClientRepository clients = new ClientRepository(tx);
        Set<String> clientIds = spec.clients().stream().map(TenantsFile.ClientSpec::clientId).collect(Collectors.toSet());
        for (ClientApplication client : clients.list(spec.id())) {
            // a dynamically registered client is never in a file: its registration, not the file, decides it
            if (!clientIds.contains(client.clientId()) && !client.dynamicallyRegistered()
                    && clients.setEnabled(tx, spec.id(), client.clientId(), false, now)) {
                report.add(spec.id(), "client " + client.clientId(), ApplyChange.Action.DISABLED, List.of(), "not in the file");
            }
        }
        IdentityProviderRepository providers = new IdentityProviderRepository(tx);
        for (IdentityProvider provider : providers.list(spec.id())) {
            if (!registrationIds.contains(provider.registrationId()) && providers.remove(tx, spec.id(), provider.registrationId())) {
                report.add(spec.id(), "identity provider " + provider.registrationId(), ApplyChange.Action.REMOVED, List.of(),
                        "not in the file");
            }
        }
        scopes(spec);
    }

    private void subjects(String tenantId, RealmType realm, List<SubjectSpec> wanted) {
        SubjectRepository subjects = new SubjectRepository(tx);
        Set<String> ids = wanted.stream().map(SubjectSpec::id).collect(Collectors.toSet());
        for (Subject subject : subjects.list(tenantId, realm)) {
            if (!ids.contains(subject.id()) && subjects.setEnabled(tx, tenantId, realm, subject.id(), false, now)) {
                report.add(tenantId, (realm == RealmType.USER ? "user " : "customer ") + subject.id(), ApplyChange.Action.DISABLED,
                        List.of(), "not in the file");
            }
        }
    }

    private void scopes(TenantSpec spec) {
        Set<String> inFile = spec.scopes().stream().map(ScopeSpec::name).collect(Collectors.toSet());
        List<String> anonymous = AnonymousCustomerPolicies.load(tx, spec.id()).map(p -> p.scopes()).orElse(List.of());
        for (ScopeDefinition scope : new TenantRepository(tx).find(spec.id()).orElseThrow().scopes().values()) {
            if (inFile.contains(scope.name()) || BuiltInScopes.isBuiltIn(scope.name())) {
                continue; // built-in scopes are never in a file, yet every tenant keeps them
            }
            List<String> holders = tx.query("SELECT client_id FROM client_scopes WHERE tenant_id = ? AND scope_name = ? "
                    + "ORDER BY client_id", row -> row.getString(1), spec.id(), scope.name());
            if (!holders.isEmpty() || anonymous.contains(scope.name())) {
                report.add(spec.id(), "scope " + scope.name(), ApplyChange.Action.KEPT, List.of(), "not in the file but held by "
                        + (holders.isEmpty() ? "anonymous_customers" : "client " + String.join(", client ", holders)));
                continue;
            }
            new TenantRepository(tx).removeScope(tx, spec.id(), scope.name());
            report.add(spec.id(), "scope " + scope.name(), ApplyChange.Action.REMOVED, List.of(), "not in the file");
        }
    }
}
