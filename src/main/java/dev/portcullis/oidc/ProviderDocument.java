package dev.portcullis.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.portcullis.dpop.DpopAlgorithms;
import dev.portcullis.tenant.RealmType;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenID Provider metadata of one realm (OpenID Connect Discovery 1.0, section 3), built with
 * Nimbus' {@link OIDCProviderMetadata} so that what clients parse with it is what we serve. It holds
 * everything the realm's RFC 8414 document holds, plus the OpenID fields.
 */
public final class ProviderDocument {

    /**
     * What the realm's RFC 8414 document already decided: its grants, client authentication and advertised scopes,
     * whether clients may register themselves (RFC 7591) and whether every authorization request must be pushed (RFC 9126).
     */
    public record OAuthFacts(String issuer, List<String> grantTypes, List<String> authMethods, List<String> scopes,
                             boolean registration, boolean requirePar) {
    }

    private ProviderDocument() {
    }

    public static Map<String, Object> of(OAuthFacts facts, RealmType realm, List<JWSAlgorithm> idTokenAlgorithms) {
        String issuer = facts.issuer();
        OIDCProviderMetadata metadata = new OIDCProviderMetadata(new Issuer(issuer), List.of(SubjectType.PUBLIC),
                URI.create(issuer + "/oauth2/jwks"));
        metadata.setAuthorizationEndpointURI(URI.create(issuer + "/oauth2/authorize"));
        metadata.setTokenEndpointURI(URI.create(issuer + "/oauth2/token"));
        metadata.setUserInfoEndpointURI(URI.create(issuer + "/oauth2/userinfo"));
        metadata.setEndSessionEndpointURI(URI.create(issuer + "/logout"));
        metadata.setIntrospectionEndpointURI(URI.create(issuer + "/oauth2/introspect"));
        metadata.setRevocationEndpointURI(URI.create(issuer + "/oauth2/revoke"));
        metadata.setPushedAuthorizationRequestEndpointURI(URI.create(issuer + "/oauth2/par"));
        metadata.requiresPushedAuthorizationRequests(facts.requirePar());
        if (facts.registration()) {
            metadata.setRegistrationEndpointURI(URI.create(issuer + "/oauth2/register"));
        }
        List<ClientAuthenticationMethod> authMethods = facts.authMethods().stream().map(ClientAuthenticationMethod::parse).toList();
        metadata.setTokenEndpointAuthMethods(authMethods);
        metadata.setRevocationEndpointAuthMethods(authMethods);
        metadata.setIntrospectionEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST));
        metadata.setGrantTypes(facts.grantTypes().stream().map(GrantType::new).toList());
        metadata.setScopes(new Scope(facts.scopes().toArray(String[]::new)));
        metadata.setResponseTypes(List.of(ResponseType.CODE));
        metadata.setResponseModes(List.of(ResponseMode.QUERY));
        metadata.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        metadata.setSupportsAuthorizationResponseIssuerParam(true);
        metadata.setIDTokenJWSAlgs(idTokenAlgorithms);
        metadata.setDPoPJWSAlgs(DpopAlgorithms.SUPPORTED);
        metadata.setClaims(claims(realm));
        metadata.setSupportsClaimsParams(false);
        metadata.setSupportsRequestParam(false);
        metadata.setSupportsRequestURIParam(false);
        metadata.applyDefaults();
        String json = metadata.toJSONObject().toJSONString();
        try {
            // the document must be one Nimbus-based clients accept: a failure here is a bug, not a request error
            OIDCProviderMetadata.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("the OpenID Provider document of " + issuer + " does not parse: " + e.getMessage(), e);
        }
        Map<String, Object> document = metadata.toJSONObject();
        // Nimbus leaves out these three when false (their default); say it, as clients that look for them expect
        document.put("claims_parameter_supported", false);
        document.put("request_parameter_supported", false);
        document.put("require_pushed_authorization_requests", facts.requirePar());
        return document;
    }

    /** The claims an ID token or userinfo response of this realm may hold: customers have no username. */
    static List<String> claims(RealmType realm) {
        List<String> claims = new ArrayList<>(StandardClaims.PROTOCOL_CLAIMS);
        if (realm == RealmType.USER) {
            claims.add("preferred_username");
        }
        claims.add("email");
        claims.add("email_verified");
        return claims;
    }
}
