package dev.portcullis.web;

import dev.portcullis.tenant.Realm;
import dev.portcullis.token.KeyLifecycle;
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
        // key rotation publishes a new key this long before it signs (KeyLifecycle.prepublication)
        ctx.header("Cache-Control", "public, max-age=" + KeyLifecycle.JWKS_MAX_AGE_SECONDS);
        JsonResponses.write(ctx, 200, keys.publicKeys(realm.tenant().id()).toJSONObject(true));
    }
}
