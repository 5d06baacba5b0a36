package dev.portcullis.protectedapi;

import com.nimbusds.jose.JWSAlgorithm;
import dev.portcullis.resourceserver.AccessRule;
import dev.portcullis.resourceserver.AccessToken;
import dev.portcullis.resourceserver.ActorType;
import dev.portcullis.resourceserver.Decision;
import dev.portcullis.resourceserver.ResourceServer;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static dev.portcullis.protectedapi.ApiTenants.API_URL;
import static dev.portcullis.protectedapi.ApiTenants.issuer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resource-server library against a real Portcullis: tokens of every grant and realm are accepted with the
 * actor type the grant gives, and expired, foreign, wrong-audience, wrong-typ and wrong-algorithm tokens, a
 * missing scope and a wrong actor type are refused with the RFC 6750 answer.
 */
class LibraryAgainstPortcullisTest {

    /** Every actor type, each with the scope its token carries. */
    private static final AccessRule ANY_ACTOR = AccessRule.allow(ActorType.USER, "deleg.read")
            .and(ActorType.CUSTOMER, "deleg.read")
            .and(ActorType.ANONYMOUS_CUSTOMER, "deleg.read")
            .and(ActorType.CLIENT_APP, "app.read")
            .and(ActorType.CLIENT_ON_BEHALF_OF_USER, "obo.read")
            .and(ActorType.CLIENT_ON_BEHALF_OF_CUSTOMER, "obo.read");

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(StoreKind.SQLITE, ApiTenants.YAML);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** An API trusting both realms of RS and the single-purpose tenants' user realms. */
    private static ResourceServer.Builder api() {
        return ResourceServer.builder()
                .trustIssuer(issuer(server, "RS-U"), issuer(server, "RS-C"), issuer(server, "LEGACY-U"), issuer(server, "ES-U"),
                        issuer(server, "ED-U"))
                .audience(API_URL);
    }

    private static AccessToken allowed(ResourceServer api, String token, AccessRule rule) {
        Decision decision = api.authorize("Bearer " + token, rule);
        assertThat(decision).as("%s", decision).isInstanceOf(Decision.Allowed.class);
        return ((Decision.Allowed) decision).token();
    }

    private static Decision.Refused refused(ResourceServer api, String token, AccessRule rule, int status) {
        Decision decision = api.authorize("Bearer " + token, rule);
        assertThat(decision).isInstanceOf(Decision.Refused.class);
        Decision.Refused refused = (Decision.Refused) decision;
        assertThat(refused.status()).as(refused.wwwAuthenticate()).isEqualTo(status);
        return refused;
    }

    @Test
    void tokensOfEveryGrantAndRealmAreAcceptedWithTheirActorType() {
        ResourceServer api = api().build();
        assertThat(allowed(api, ApiTenants.clientCredentials(server, "RS"), ANY_ACTOR).actorType()).isEqualTo(ActorType.CLIENT_APP);
        AccessToken obo = allowed(api, ApiTenants.onBehalfOfUser(server), ANY_ACTOR);
        assertThat(obo.actorType()).isEqualTo(ActorType.CLIENT_ON_BEHALF_OF_USER);
        assertThat(obo.subject()).isEqualTo("1001");
        assertThat(obo.username()).contains("pa");
        assertThat(obo.tenant()).contains("RS");
        assertThat(obo.issuer()).isEqualTo(issuer(server, "RS-U"));
        AccessToken oboCustomer = allowed(api, ApiTenants.onBehalfOfCustomer(server), ANY_ACTOR);
        assertThat(oboCustomer.actorType()).isEqualTo(ActorType.CLIENT_ON_BEHALF_OF_CUSTOMER);
        assertThat(oboCustomer.issuer()).isEqualTo(issuer(server, "RS-C"));
        assertThat(allowed(api, ApiTenants.authorizationCode(server, "U"), ANY_ACTOR).actorType()).isEqualTo(ActorType.USER);
        AccessToken customer = allowed(api, ApiTenants.authorizationCode(server, "C"), ANY_ACTOR);
        assertThat(customer.actorType()).isEqualTo(ActorType.CUSTOMER);
        assertThat(customer.email()).contains("jane@example.com");
        AccessToken anonymous = allowed(api, ApiTenants.anonymousCustomer(server), ANY_ACTOR);
        assertThat(anonymous.actorType()).isEqualTo(ActorType.ANONYMOUS_CUSTOMER);
        assertThat(anonymous.issuer()).isEqualTo(issuer(server, "RS-C"));
        AccessToken exchanged = allowed(api, ApiTenants.exchanged(server), ANY_ACTOR);
        assertThat(exchanged.actorType()).isEqualTo(ActorType.CLIENT_ON_BEHALF_OF_USER);
        assertThat(exchanged.scopes()).containsExactly("obo.read");
        // every tenant's own algorithm, EdDSA included (Tink is on this class path)
        assertThat(allowed(api, ApiTenants.clientCredentials(server, "ES"), ANY_ACTOR).issuer()).endsWith("/ES-U");
        assertThat(allowed(api, ApiTenants.clientCredentials(server, "ED"), ANY_ACTOR).issuer()).endsWith("/ED-U");
    }

    @Test
    void anExpiredTokenIsRefusedOnceTheSkewHasPassed() {
        String token = ApiTenants.onBehalfOfUser(server);
        // RS tokens live 1,800 s: the API's clock 1,800 s + 30 s ahead is within the 60 s skew, + 90 s is not
        ResourceServer justWithinSkew = api().clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1_830))).build();
        allowed(justWithinSkew, token, ANY_ACTOR);
        ResourceServer later = api().clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(1_890))).build();
        assertThat(refused(later, token, ANY_ACTOR, 401).wwwAuthenticate()).contains("error=\"invalid_token\"", "expired at");
    }

    @Test
    void aTenantOrRealmTheApiDoesNotTrustIsRefused() {
        assertThat(refused(api().build(), ApiTenants.clientCredentials(server, "STRANGER"), ANY_ACTOR, 401).wwwAuthenticate())
                .contains("issuer " + issuer(server, "STRANGER-U") + " is not trusted");
        ResourceServer usersOnly = ResourceServer.builder().trustIssuer(issuer(server, "RS-U")).audience(API_URL).build();
        assertThat(refused(usersOnly, ApiTenants.onBehalfOfCustomer(server), ANY_ACTOR, 401).wwwAuthenticate())
                .contains("issuer " + issuer(server, "RS-C") + " is not trusted");
    }

    @Test
    void anotherApisAudienceIsRefused() {
        ResourceServer otherApi = api().audience("https://other-api.example.test").build();
        assertThat(refused(otherApi, ApiTenants.onBehalfOfUser(server), ANY_ACTOR, 401).wwwAuthenticate())
                .contains("the token is for audience " + API_URL + ", not this API (https://other-api.example.test)");
    }

    @Test
    void typJwtIsRefusedUnlessTheApiAcceptsIt() {
        String legacy = ApiTenants.clientCredentials(server, "LEGACY");
        assertThat(refused(api().build(), legacy, ANY_ACTOR, 401).wwwAuthenticate()).contains("typ is JWT");
        assertThat(allowed(api().acceptTypJwt().build(), legacy, ANY_ACTOR).issuer()).endsWith("/LEGACY-U");
    }

    @Test
    void anAlgorithmOutsideTheApisListIsRefused() {
        ResourceServer rsaOnly = api().algorithms(JWSAlgorithm.RS256).build();
        assertThat(refused(rsaOnly, ApiTenants.clientCredentials(server, "ES"), ANY_ACTOR, 401).wwwAuthenticate())
                .contains("signed with ES256; this API accepts RS256");
        assertThat(refused(rsaOnly, ApiTenants.clientCredentials(server, "ED"), ANY_ACTOR, 401).wwwAuthenticate())
                .contains("signed with EdDSA");
        allowed(rsaOnly, ApiTenants.clientCredentials(server, "RS"), ANY_ACTOR);
    }

    @Test
    void aMissingScopeOrAnotherActorTypeGets403() {
        ResourceServer api = api().build();
        AccessRule write = AccessRule.allow(ActorType.CLIENT_ON_BEHALF_OF_USER, "obo.write");
        AccessRule usersOnly = AccessRule.allow(ActorType.USER, "deleg.read");

        Decision.Refused noScope = refused(api, ApiTenants.exchanged(server), write, 403);
        assertThat(noScope.wwwAuthenticate()).contains("error=\"insufficient_scope\"").endsWith("scope=\"obo.write\"");
        allowed(api, ApiTenants.onBehalfOfUser(server), write);

        Decision.Refused wrongActor = refused(api, ApiTenants.onBehalfOfUser(server), usersOnly, 403);
        assertThat(wrongActor.wwwAuthenticate()).contains("error=\"insufficient_scope\"",
                "actor type client_on_behalf_of_user may not call this operation (allowed: user)");
        refused(api, ApiTenants.anonymousCustomer(server), AccessRule.allow(ActorType.CUSTOMER, "deleg.read"), 403);
    }
}
