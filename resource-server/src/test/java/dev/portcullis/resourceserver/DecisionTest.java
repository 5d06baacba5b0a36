package dev.portcullis.resourceserver;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.portcullis.resourceserver.FakeIssuer.API;
import static org.assertj.core.api.Assertions.assertThat;

/** The RFC 6750 answers of {@link ResourceServer#authorize}, and eGain's per-actor-type scope rules. */
class DecisionTest {

    private static final String OBO_READ = "knowledge.portalmgr.onbehalfof.read";
    private static final AccessRule READ_ARTICLES = AccessRule.allow(ActorType.USER, "knowledge.portalmgr.read")
            .and(ActorType.CLIENT_ON_BEHALF_OF_USER, OBO_READ);

    private static FakeIssuer issuer;
    private static ResourceServer server;

    @BeforeAll
    static void start() {
        issuer = new FakeIssuer("T1-U");
        server = ResourceServer.builder().trustIssuer(issuer.issuer()).audience(API).build();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static Decision.Refused refused(String header, AccessRule rule) {
        Decision decision = server.authorize(header, rule);
        assertThat(decision).as("refused: %s", header).isInstanceOf(Decision.Refused.class);
        Decision.Refused refused = (Decision.Refused) decision;
        assertThat(refused.headers()).containsEntry("Cache-Control", "no-store");
        return refused;
    }

    @Test
    void aTokenOfAnAllowedActorTypeWithItsScopesIsAllowed() {
        Decision decision = server.authorize("Bearer " + issuer.token(), READ_ARTICLES);
        assertThat(decision).isInstanceOfSatisfying(Decision.Allowed.class,
                allowed -> assertThat(allowed.token().actorType()).isEqualTo(ActorType.CLIENT_ON_BEHALF_OF_USER));
        assertThat(server.authorize("bearer   " + issuer.token(), READ_ARTICLES)).as("the scheme is case-insensitive")
                .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void noTokenGets401WithTheRealmAndNoErrorCode() {
        for (String header : new String[] {null, "", "Basic dXNlcjpwYXNz"}) {
            Decision.Refused refused = refused(header, READ_ARTICLES);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.wwwAuthenticate()).isEqualTo("Bearer realm=\"" + API + "\"");
        }
    }

    @Test
    void aMalformedAuthorizationHeaderGets400InvalidRequest() {
        for (String header : new String[] {"Bearer", "Bearer a b", "Bearer \"quoted\""}) {
            Decision.Refused refused = refused(header, READ_ARTICLES);
            assertThat(refused.status()).as(header).isEqualTo(400);
            assertThat(refused.wwwAuthenticate()).startsWith("Bearer realm=\"" + API + "\", error=\"invalid_request\"");
        }
    }

    @Test
    void anInvalidTokenGets401InvalidTokenWithADescription() {
        Decision.Refused refused = refused("Bearer " + issuer.sign(issuer.claims().audience("https://other.example").build()),
                READ_ARTICLES);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.wwwAuthenticate()).isEqualTo("Bearer realm=\"" + API + "\", error=\"invalid_token\", "
                + "error_description=\"the token is for audience https://other.example, not this API (" + API + ")\"");
        assertThat(refused.jsonBody()).contains("\"error\":\"invalid_token\"");
    }

    @Test
    void aMissingScopeGets403InsufficientScopeNamingTheScopesOfThatActorType() {
        String userToken = issuer.sign(issuer.claims().claim("actor_type", "user").claim("scope", OBO_READ).build());
        Decision.Refused refused = refused("Bearer " + userToken, READ_ARTICLES);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.wwwAuthenticate()).isEqualTo("Bearer realm=\"" + API + "\", error=\"insufficient_scope\", "
                + "error_description=\"the token lacks scope knowledge.portalmgr.read, which actor type user needs for this "
                + "operation\", scope=\"knowledge.portalmgr.read\"");
        String bothScopes = issuer.sign(issuer.claims().claim("scope", "x").build());
        assertThat(refused("Bearer " + bothScopes, READ_ARTICLES.and(ActorType.CLIENT_ON_BEHALF_OF_USER, OBO_READ, "y.write"))
                .wwwAuthenticate()).endsWith("scope=\"" + OBO_READ + " y.write\"");
    }

    @Test
    void anActorTypeTheOperationDoesNotAllowGets403WhateverItsScopes() {
        String appToken = issuer.sign(issuer.claims().claim("actor_type", "client_app")
                .claim("scope", OBO_READ + " knowledge.portalmgr.read").build());
        Decision.Refused refused = refused("Bearer " + appToken, READ_ARTICLES);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.wwwAuthenticate()).contains("error=\"insufficient_scope\"")
                .contains("actor type client_app may not call this operation (allowed: user, client_on_behalf_of_user)")
                .doesNotContain("scope=");
        assertThat(refused("Bearer " + issuer.token(), AccessRule.nobody()).status()).isEqualTo(403);
    }

    @Test
    void descriptionsCannotBreakOutOfTheHeaderAndStayShort() {
        assertThat(Decision.quotable("a\"b\\c\r\nd\u00e9")).isEqualTo("a'b'c''d'");
        String longIssuer = "https://" + "x".repeat(2_000) + ".example\"\r\nSet-Cookie: a=b";
        Decision.Refused refused = refused("Bearer " + issuer.sign(issuer.claims().issuer(longIssuer).build()), READ_ARTICLES);
        assertThat(refused.wwwAuthenticate()).hasSizeLessThan(450).doesNotContain("\r", "\n");
        assertThat(refused.wwwAuthenticate().chars().filter(c -> c == '"').count()).isEqualTo(6);
    }
}
