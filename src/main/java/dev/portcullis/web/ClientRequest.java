package dev.portcullis.web;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientAuthenticator;
import dev.portcullis.client.ClientCredentials;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.tenant.Realm;
import io.javalin.http.Context;

import java.util.Optional;

/** A form POST from an authenticated client to one of a realm's token-management endpoints. */
record ClientRequest(Realm realm, FormParameters form, ClientApplication client) {

    static ClientRequest read(Context ctx, RealmResolver realms, ClientAuthenticator authenticator, String purpose,
                              boolean allowPublic) {
        Realm realm = realms.resolve(ctx);
        FormParameters form = FormParameters.parse(TokenEndpoint.readFormBody(ctx));
        ClientCredentials credentials = ClientCredentials.parse(Optional.ofNullable(ctx.header("Authorization")), form, realm.id());
        return new ClientRequest(realm, form, authenticator.authenticate(realm, credentials, purpose, allowPublic));
    }
}
