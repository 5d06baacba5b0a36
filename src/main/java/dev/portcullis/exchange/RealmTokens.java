package dev.portcullis.exchange;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.Realm;
import dev.portcullis.token.AccessTokenVerifier;
import dev.portcullis.token.ActorType;
import dev.portcullis.token.ExchangeDetails;
import dev.portcullis.token.ProofKey;
import dev.portcullis.token.TokenGrant;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Exchanges of the realm's own access tokens. The rule for who may exchange what: a subject token or
 * actor token is accepted only when it was issued to the requesting client (its {@code client_id}),
 * so a client acts only for subjects whose tokens it was given, and a token that leaked to another
 * client cannot be turned into that client's token. ({@code aud} cannot tell clients apart: every
 * token's is {@code api_url}.) The new token keeps the subject, actor type and {@code idp}, narrows or
 * keeps the scope, and never outlives the subject token. A DPoP-bound token is exchanged only with a DPoP proof
 * of its key, so an exchange never turns a bound token into one that its key does not guard.
 */
final class RealmTokens {

    private final AccessTokenVerifier verifier;
    private final SubjectDirectory subjects;

    RealmTokens(AccessTokenVerifier verifier, SubjectDirectory subjects) {
        this.verifier = verifier;
        this.subjects = subjects;
    }

    TokenGrant exchange(TokenExchangeRequest request, ClientApplication client, Realm realm, Optional<Map<String, Object>> newActor,
                        Optional<ProofKey> proofKey) {
        if (request.subjectTokenType().equals(TokenExchangeRequest.ID_TOKEN)) {
            throw OAuthException.invalidRequest("this realm issues no ID tokens; without registration_id, subject_token must be "
                    + "an access token of " + realm.id() + " (subject_token_type " + TokenExchangeRequest.ACCESS_TOKEN + ")");
        }
        JWTClaimsSet claims = verified(realm, client, request.subjectToken(), "subject_token", proofKey);
        ActorType actorType = ActorType.fromClaim(text(claims, "actor_type")).orElseThrow(() ->
                OAuthException.invalidRequest("subject_token has no actor_type this realm can exchange"));
        ScopeSet scope = narrowed(ScopeSet.parse(text(claims, "scope")), request.scope(), client, realm);
        Optional<Subject> subject = subject(actorType, claims, realm);

        Optional<Map<String, Object>> previousActor = object(claims, "act");
        Optional<Map<String, Object>> actor = newActor.map(act -> chained(act, previousActor)).or(() -> previousActor);
        ExchangeDetails details = new ExchangeDetails(ExchangeDetails.ACCESS_TOKEN_TYPE, Optional.ofNullable(text(claims, "idp")),
                Optional.empty(), actor, OptionalLong.of(claims.getExpirationTime().toInstant().getEpochSecond()));
        return new TokenGrant(realm, client, TokenExchangeRequest.GRANT_TYPE, actorType, subject, scope).withExchange(details);
    }

    /** The {@code act} claim naming the actor of a valid actor token issued to the client (RFC 8693 section 4.1). */
    Map<String, Object> actor(Realm realm, ClientApplication client, String actorToken, Optional<ProofKey> proofKey) {
        JWTClaimsSet claims = verified(realm, client, actorToken, "actor_token", proofKey);
        Map<String, Object> act = new LinkedHashMap<>();
        act.put("sub", claims.getSubject());
        return act;
    }

    private JWTClaimsSet verified(Realm realm, ClientApplication client, String token, String parameter, Optional<ProofKey> proofKey) {
        JWTClaimsSet claims = verifier.verify(realm, token).orElseThrow(() -> OAuthException.invalidRequest(parameter
                + " is not a valid, unexpired and unrevoked access token of " + realm.id()
                + " (a token of an external identity provider needs registration_id)"));
        if (!client.clientId().equals(text(claims, "client_id"))) {
            throw OAuthException.invalidRequest(parameter + " was issued to another client; a client may exchange only "
                    + "tokens issued to it");
        }
        Optional<String> boundKey = AccessTokenVerifier.boundKey(claims);
        if (boundKey.isPresent() && proofKey.filter(key -> key.matches(boundKey.get())).isEmpty()) {
            throw OAuthException.invalidRequest(parameter + " is bound to a DPoP key: exchange it with a DPoP proof signed "
                    + "with that key");
        }
        return claims;
    }

    private static ScopeSet narrowed(ScopeSet granted, Optional<ScopeSet> requested, ClientApplication client, Realm realm) {
        ScopeSet scope = requested.orElse(granted);
        for (String name : scope.names()) {
            if (!granted.names().contains(name)) {
                throw OAuthException.invalidScope("scope '" + name + "' is not in subject_token; exchanging the realm's own "
                        + "token can only keep or narrow its scope (" + granted.toParameter() + ")");
            }
            if (realm.tenant().scope(name).isEmpty() || !client.scopes().contains(name)) {
                throw OAuthException.invalidScope("scope '" + name + "' is no longer assigned to client '" + client.clientId() + "'");
            }
        }
        return scope;
    }

    private Optional<Subject> subject(ActorType actorType, JWTClaimsSet claims, Realm realm) {
        return switch (actorType) {
            case CLIENT_APP -> Optional.empty();
            case ANONYMOUS_CUSTOMER -> throw OAuthException.invalidRequest("tokens of anonymous customers cannot be exchanged");
            default -> Optional.of(subjects.findActive(realm.tenant().id(), realm.type(), claims.getSubject())
                    .orElseThrow(() -> OAuthException.invalidRequest("the subject of subject_token is no longer an active "
                            + (realm.type() == dev.portcullis.tenant.RealmType.USER ? "user" : "customer") + " of " + realm.id())));
        };
    }

    /** The new actor, with the chain of earlier actors nested inside it (RFC 8693 section 4.1). */
    private static Map<String, Object> chained(Map<String, Object> actor, Optional<Map<String, Object>> previous) {
        Map<String, Object> chained = new LinkedHashMap<>(actor);
        previous.ifPresent(p -> chained.put("act", p));
        return chained;
    }

    private static String text(JWTClaimsSet claims, String name) {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            return null;
        }
    }

    private static Optional<Map<String, Object>> object(JWTClaimsSet claims, String name) {
        try {
            return Optional.ofNullable(claims.getJSONObjectClaim(name));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
