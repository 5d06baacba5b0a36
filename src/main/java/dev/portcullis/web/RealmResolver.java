package dev.portcullis.web;

import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.TenantDirectory;
import io.javalin.http.Context;

/** Finds the realm a request's {realm} path segment names, or answers 404. */
final class RealmResolver {

    private final TenantDirectory tenants;

    RealmResolver(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    java.util.Optional<Realm> resolveOptional(Context ctx) {
        return tenants.realm(ctx.pathParam("realm"));
    }

    Realm resolve(Context ctx) {
        String realmId = ctx.pathParam("realm");
        return tenants.realm(realmId).orElseThrow(() -> new OAuthException(OAuthError.NOT_FOUND,
                Realm.parse(realmId).isPresent()
                        ? "unknown tenant '" + Realm.parse(realmId).get().tenantId() + "'"
                        : "unknown realm '" + realmId + "': realm paths are /system/auth/{TENANT}-U (users) or /system/auth/{TENANT}-C (customers)"));
    }
}
