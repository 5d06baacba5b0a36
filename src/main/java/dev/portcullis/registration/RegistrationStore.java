package dev.portcullis.registration;

import dev.portcullis.registration.ClientRegistration.Registration;
import dev.portcullis.store.Sql;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code client_registrations} rows: what marks a client as dynamically registered, with its token's hash. */
final class RegistrationStore {

    private RegistrationStore() {
    }

    static Optional<Registration> find(Sql sql, String tenantId, String clientId) {
        return sql.queryOne("SELECT registration_token_hash, token_endpoint_auth_method, grant_types, response_types, software_id, "
                        + "software_version, registered_at FROM client_registrations WHERE tenant_id = ? AND client_id = ?",
                row -> new Registration(tenantId, clientId, row.getString(1), row.getString(2), list(row.getString(3)),
                        list(row.getString(4)), Optional.ofNullable(row.getString(5)), Optional.ofNullable(row.getString(6)),
                        row.getLong(7)), tenantId, clientId);
    }

    static int count(Sql sql, String tenantId) {
        return sql.queryOne("SELECT COUNT(*) FROM client_registrations WHERE tenant_id = ?", row -> row.getInt(1), tenantId)
                .orElse(0);
    }

    static void insert(Sql tx, Registration registration, long now) {
        tx.update("INSERT INTO client_registrations (tenant_id, client_id, registration_token_hash, token_endpoint_auth_method, "
                        + "grant_types, response_types, software_id, software_version, registered_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", registration.tenantId(), registration.clientId(),
                registration.tokenHash(), registration.authMethod(), String.join(" ", registration.grantTypes()),
                String.join(" ", registration.responseTypes()), registration.softwareId().orElse(null),
                registration.softwareVersion().orElse(null), registration.registeredAt(), now);
    }

    static void update(Sql tx, String tenantId, String clientId, ClientRegistration metadata, long now) {
        tx.update("UPDATE client_registrations SET token_endpoint_auth_method = ?, grant_types = ?, response_types = ?, "
                        + "software_id = ?, software_version = ?, updated_at = ? WHERE tenant_id = ? AND client_id = ?",
                metadata.authMethod(), String.join(" ", metadata.grantTypes()), String.join(" ", metadata.responseTypes()),
                metadata.softwareId().orElse(null), metadata.softwareVersion().orElse(null), now, tenantId, clientId);
    }

    static void delete(Sql tx, String tenantId, String clientId) {
        tx.update("DELETE FROM client_registrations WHERE tenant_id = ? AND client_id = ?", tenantId, clientId);
    }

    /** Space-separated: grant types are single words, and the one response type accepted is code. */
    private static List<String> list(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(" "));
    }
}
