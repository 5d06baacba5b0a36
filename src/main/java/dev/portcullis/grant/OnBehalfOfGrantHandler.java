package dev.portcullis.grant;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.token.ActorType;
import dev.portcullis.token.ProofKey;
import dev.portcullis.token.TokenGrant;

import java.util.Optional;

/**
 * On-Behalf-Of: a trusted web client gets a token for a named user or customer, with
 * on-behalf-of scopes only. The token's {@code sub} is the subject and {@code act} the client.
 */
public final class OnBehalfOfGrantHandler implements GrantHandler<OnBehalfOfRequest> {

    private final SubjectDirectory subjects;
    private final ResourceIndicators resources;

    public OnBehalfOfGrantHandler(SubjectDirectory subjects, ResourceIndicators resources) {
        this.subjects = subjects;
        this.resources = resources;
    }

    @Override
    public String grantType() {
        return OnBehalfOfRequest.GRANT_TYPE;
    }

    @Override
    public boolean allowsPublicClients() {
        return false;
    }

    @Override
    public OnBehalfOfRequest parse(FormParameters form, Realm realm) {
        return OnBehalfOfRequest.parse(form, realm);
    }

    @Override
    public TokenGrant grant(OnBehalfOfRequest request, ClientApplication client, Realm realm, Optional<ProofKey> proofKey) {
        ScopePolicy.check(realm.tenant(), client, request.scope(), ScopeKind.ON_BEHALF_OF,
                "grant_type=password (On-Behalf-Of)");
        Optional<String> audience = resources.audience(realm.tenant(), request.resource());
        Subject subject = subjects.find(request.subject()).filter(Subject::enabled)
                .orElseThrow(() -> OAuthException.invalidGrant("no active " + (realm.type() == RealmType.USER ? "user" : "customer")
                        + " with " + request.subject().by().parameter() + " '" + request.subject().value() + "' in " + realm.id()));
        return new TokenGrant(realm, client, grantType(), ActorType.onBehalfOf(realm.type()), Optional.of(subject), request.scope())
                .withAudience(audience);
    }
}
