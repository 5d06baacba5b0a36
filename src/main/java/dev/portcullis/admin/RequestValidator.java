package dev.portcullis.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.Tenant;

import java.util.List;

/**
 * The tenants file's validator for one object of an admin API request: the JSON object is read by the same
 * section that reads it in a file, so the API and the file accept and refuse exactly the same things.
 * Refusals are {@link TenantsFileException}s whose {@link TenantsFileException#detail()} says what to fix.
 */
public final class RequestValidator {

    private RequestValidator() {
    }

    /** A client as the tenants file writes it under {@code clients:}; {@code secrets} are the caller's to refuse. */
    public static ClientSpec client(JsonNode body, Tenant tenant) {
        return ClientSection.read(TenantsFileParser.forRequest(), JsonAsYaml.node(body), tenant.scopes().keySet(), tenant.id());
    }

    /**
     * A user (realm U) or customer (realm C) as the tenants file writes it under {@code users:} or {@code customers:}.
     * {@code tenant} is unused until users carry admin roles, which are checked against their tenant.
     */
    public static SubjectSpec subject(JsonNode body, Tenant tenant, RealmType realm) {
        List<SubjectSpec> one = SubjectsSection.read(TenantsFileParser.forRequest(), List.of(JsonAsYaml.node(body)),
                realm == RealmType.USER);
        return one.get(0);
    }
}
