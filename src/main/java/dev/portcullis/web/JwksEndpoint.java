package dev.portcullis.web;

import dev.portcullis.tenant.Realm;
import dev.portcullis.token.SigningKeys;
import io.javalin.http.Context;

/** The tenant's public signing keys, the same set at both realms' jwks_uri. */
final class JwksEndpoint {

    private final RealmResolver realms;
    private final SigningKeys keys;

    JwksEndpoint(RealmResolver realms, SigningKeys keys) {
        this.realms = realms;
        this.keys = keys;
    }

    void handle(Context ctx) {
        Realm realm = realms.resolve(ctx);
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Cache-Control", "public, max-age=300");
        JsonResponses.write(ctx, 200, keys.publicKeys(realm.tenant().id()).toJSONObject(true));
    }
}
