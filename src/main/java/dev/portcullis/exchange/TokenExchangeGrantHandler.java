package dev.portcullis.exchange;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.grant.GrantHandler;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.grant.ScopePolicy;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ParameterLimits;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.token.ActorType;
import dev.portcullis.token.ExchangeDetails;
import dev.portcullis.token.ProofKey;
import dev.portcullis.token.TokenGrant;

import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * Token Exchange (RFC 8693 as eGain documents it). With a {@code registration_id}, the subject token
 * comes from that registered identity provider and is exchanged for a token of the matching user or
 * customer, with delegated scopes. Without one, it is this realm's own access token, exchanged for one
 * with the same or fewer scopes ({@link RealmTokens}). Either way an {@code actor_token} adds an
 * {@code act} claim naming the actor. Only web clients with {@code token_exchange: true} may exchange.
 */
public final class TokenExchangeGrantHandler implements GrantHandler<TokenExchangeRequest> {

    private final IdentityProviderDirectory providers;
    private final ExternalTokens externalTokens;
    private final RealmTokens realmTokens;
    private final SubjectDirectory subjects;
    private final ResourceIndicators resources;

    TokenExchangeGrantHandler(IdentityProviderDirectory providers, ExternalTokens externalTokens, RealmTokens realmTokens,
                              SubjectDirectory subjects, ResourceIndicators resources) {
        this.providers = providers;
        this.externalTokens = externalTokens;
        this.realmTokens = realmTokens;
        this.subjects = subjects;
        this.resources = resources;
    }

    @Override
    public String grantType() {
        return TokenExchangeRequest.GRANT_TYPE;
    }

    @Override
    public boolean allowsPublicClients() {
        return false;
    }

    @Override
    public TokenExchangeRequest parse(FormParameters form, Realm realm) {
        return TokenExchangeRequest.parse(form);
    }

    @Override
    public TokenGrant grant(TokenExchangeRequest request, ClientApplication client, Realm realm, Optional<ProofKey> proofKey) {
        if (!client.tokenExchange()) {
            throw OAuthException.unauthorizedClient("client '" + client.clientId() + "' may not use token exchange; "
                    + "enable it with token_exchange: true (eGain's \"Token Exchange Grant Type\")");
        }
        Optional<String> audience = resources.audience(realm.tenant(), request.resource());
        // the actor is checked first: it costs no outbound fetch, and a bad one should not cost one
        Optional<Map<String, Object>> actor = request.actorToken().map(token -> realmTokens.actor(realm, client, token, proofKey));
        TokenGrant grant = request.registrationId().isPresent()
                ? external(request, request.registrationId().get(), client, realm, actor)
                : realmTokens.exchange(request, client, realm, actor, proofKey);
        return grant.withAudience(audience);
    }

    private TokenGrant external(TokenExchangeRequest request, String registrationId, ClientApplication client, Realm realm,
                                Optional<Map<String, Object>> actor) {
        IdentityProvider provider = providers.find(realm.tenant().id(), registrationId).orElseThrow(() ->
                OAuthException.invalidRequest("unknown registration_id '" + registrationId + "' in tenant " + realm.tenant().id()
                        + "; register the identity provider under identity_providers: (or portcullis idp create)"));
        if (provider.realm() != realm.type()) {
            throw OAuthException.invalidRequest("registration '" + registrationId + "' is for realm " + realm.tenant().id() + "-"
                    + provider.realm().suffix() + "; send the request to that realm's token endpoint");
        }
        ScopeSet scope = delegatedScopes(request.scope(), client, realm);
        JWTClaimsSet claims = externalTokens.validate(provider, request.subjectToken());
        String identity = stringClaim(claims, provider.userClaim().claim());
        Subject subject = subjects.find(new SubjectLookup(realm.tenant().id(), realm.type(), provider.userClaim().lookup(), identity))
                .filter(Subject::enabled)
                .orElseThrow(() -> OAuthException.invalidRequest("no active " + (realm.type() == RealmType.USER ? "user" : "customer")
                        + " in " + realm.id() + " has the " + provider.userClaim().matchedField() + " '" + identity
                        + "' that subject_token's " + provider.userClaim().claim() + " claim names; the " + (realm.type() == RealmType.USER
                        ? "user" : "customer") + " must exist and be enabled in Portcullis"));
        ExchangeDetails details = new ExchangeDetails(ExchangeDetails.ACCESS_TOKEN_TYPE, Optional.of(provider.registrationId()),
                Optional.ofNullable(claims.getSubject()), actor, OptionalLong.empty());
        return new TokenGrant(realm, client, grantType(), ActorType.signedIn(realm.type()), Optional.of(subject), scope)
                .withExchange(details);
    }

    /** The requested scopes, each a delegated scope assigned to the client; absent: all such scopes of the client. */
    private static ScopeSet delegatedScopes(Optional<ScopeSet> requested, ClientApplication client, Realm realm) {
        if (requested.isPresent()) {
            ScopePolicy.check(realm.tenant(), client, requested.get(), ScopeKind.DELEGATED, "token exchange");
            return requested.get();
        }
        Set<String> delegated = new LinkedHashSet<>();
        for (String name : new TreeSet<>(client.scopes())) { // sorted: the client's set has no order
            realm.tenant().scope(name).filter(s -> s.kind() == ScopeKind.DELEGATED).ifPresent(s -> delegated.add(name));
        }
        if (delegated.isEmpty()) {
            throw OAuthException.invalidScope("client '" + client.clientId() + "' has no delegated scopes to exchange for; "
                    + "assign some, or send scope");
        }
        return new ScopeSet(delegated);
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        try {
            String value = claims.getStringClaim(name);
            if (value == null || value.isBlank()) {
                throw OAuthException.invalidRequest("subject_token has no '" + name + "' claim to identify the user by");
            }
            if (value.length() > ParameterLimits.IDENTIFIER) {
                throw OAuthException.invalidRequest("subject_token's '" + name + "' claim is longer than "
                        + ParameterLimits.IDENTIFIER + " characters, longer than any user's");
            }
            return value;
        } catch (ParseException e) {
            throw OAuthException.invalidRequest("subject_token's '" + name + "' claim is not a string");
        }
    }
}
