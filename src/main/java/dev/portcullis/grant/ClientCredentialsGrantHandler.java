package dev.portcullis.grant;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.token.ActorType;
import dev.portcullis.token.ProofKey;
import dev.portcullis.token.TokenGrant;

import java.util.Optional;

/** Client Credentials: a web client gets a token for itself, with application scopes only. */
public final class ClientCredentialsGrantHandler implements GrantHandler<ClientCredentialsRequest> {

    private final ResourceIndicators resources;

    public ClientCredentialsGrantHandler(ResourceIndicators resources) {
        this.resources = resources;
    }

    @Override
    public String grantType() {
        return ClientCredentialsRequest.GRANT_TYPE;
    }

    @Override
    public boolean allowsPublicClients() {
        return false;
    }

    @Override
    public ClientCredentialsRequest parse(FormParameters form, Realm realm) {
        return ClientCredentialsRequest.parse(form);
    }

    @Override
    public TokenGrant grant(ClientCredentialsRequest request, ClientApplication client, Realm realm, Optional<ProofKey> proofKey) {
        ScopePolicy.check(realm.tenant(), client, request.scope(), ScopeKind.APPLICATION, "grant_type=client_credentials");
        return new TokenGrant(realm, client, grantType(), ActorType.CLIENT_APP, Optional.empty(), request.scope())
                .withAudience(resources.audience(realm.tenant(), request.resource()));
    }
}
