package dev.portcullis.tenant;

import dev.portcullis.tenant.AuthorizationSettings.DynamicRegistration;
import dev.portcullis.tenant.AuthorizationSettings.MetadataDocuments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link AuthorizationSettings} as the tenants table's columns: flags as 0/1, lists space-separated. */
public final class AuthorizationColumns {

    /** In the order {@link #read} expects them. */
    public static final String COLUMNS = "resources, client_id_metadata_documents, metadata_document_hosts, dynamic_registration, "
            + "registration_token_hash, registration_scopes, require_par, dpop_nonce";
    static final String ASSIGNMENTS = "resources = ?, client_id_metadata_documents = ?, metadata_document_hosts = ?, "
            + "dynamic_registration = ?, registration_token_hash = ?, registration_scopes = ?, require_par = ?, dpop_nonce = ?";

    private AuthorizationColumns() {
    }

    /** Reads the settings from {@link #COLUMNS}, the first of them at {@code first}. */
    public static AuthorizationSettings read(ResultSet row, int first) throws SQLException {
        return new AuthorizationSettings(list(row.getString(first)),
                new MetadataDocuments(row.getInt(first + 1) == 1, list(row.getString(first + 2))),
                new DynamicRegistration(row.getInt(first + 3) == 1, Optional.ofNullable(row.getString(first + 4)),
                        list(row.getString(first + 5))),
                row.getInt(first + 6) == 1, row.getInt(first + 7) == 1);
    }

    static Object[] values(AuthorizationSettings settings, String tenantId) {
        DynamicRegistration registration = settings.dynamicRegistration();
        return new Object[] {String.join(" ", settings.resources()), settings.clientIdMetadataDocuments().enabled(),
                String.join(" ", settings.clientIdMetadataDocuments().allowedHosts()), registration.enabled(),
                registration.initialAccessTokenHash().orElse(null), String.join(" ", registration.scopes()),
                settings.requirePar(), settings.dpopNonce(), tenantId};
    }

    private static List<String> list(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(" "));
    }
}
