package dev.portcullis.tenant;

import java.util.List;

/**
 * The scopes every tenant has without defining them: the admin API's. A person (a Partition or System
 * Administrator) gets {@link #ADMIN} by signing in, since it is delegated; an automation client gets
 * {@link #ADMIN_API} through client credentials, since it is an application scope. Clients name them
 * like any other scope; the tenants file may not define them, and export and prune leave them out.
 * Migration V13 inserts the same definitions into the tenants that existed before it.
 */
public final class BuiltInScopes {

    public static final String ADMIN = "portcullis.admin";
    public static final String ADMIN_API = "portcullis.admin.api";

    public static final List<ScopeDefinition> ALL = List.of(
            new ScopeDefinition(ADMIN, ScopeKind.DELEGATED,
                    "Manage this tenant through the admin API, as a Partition Administrator"),
            new ScopeDefinition(ADMIN_API, ScopeKind.APPLICATION,
                    "Manage this tenant through the admin API, as an automation client"));

    private BuiltInScopes() {
    }

    public static boolean isBuiltIn(String scopeName) {
        return ADMIN.equals(scopeName) || ADMIN_API.equals(scopeName);
    }

    /** Why a tenant cannot define this name itself: the message the tenants file and the CLI show. */
    public static String definitionRefusal(String scopeName) {
        return scopeName + " is built in; clients may name it without defining it";
    }
}
