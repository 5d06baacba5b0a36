package dev.portcullis.admin;

import dev.portcullis.exchange.IdentityProvider;
import dev.portcullis.exchange.IdentityProviderRepository;
import dev.portcullis.exchange.UserClaim;
import dev.portcullis.store.Database;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.testing.DatabaseSnapshot;
import dev.portcullis.testing.PostgresDatabases;
import dev.portcullis.testing.ScratchDatabases;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tenants file's identity_providers: and clients' token_exchange: validated with lines, applied idempotently. */
class IdentityProvidersFileTest {

    private static final String SOURCE = "idp.yaml";
    private static final String FILE = """
            tenants:
              - id: T1
                name: One
                scopes:
                  - { name: deleg.read, kind: delegated }
                clients:
                  - { client_id: web-1, name: Web, platform: web, token_exchange: true, scopes: [ deleg.read ] }
                  - { client_id: web-2, name: Web two, platform: web, scopes: [ deleg.read ] }
                identity_providers:
                  - registration_id: okta-main
                    name: Okta
                    issuer: https://example.okta.com/oauth2/default
                    jwks_uri: https://example.okta.com/oauth2/default/v1/keys
                    audiences: [ "api://egain" ]
                    algorithms: [ RS256, ES256 ]
                    user_claim: email
                  - name: Azure customers
                    realm: C
                    issuer: https://login.microsoftonline.com/tenant-id/v2.0
                    audiences: [ "api://egain-customers" ]
                    user_claim: sub
                    allow_private_network: true
            """;

    @TempDir
    Path temp;

    private ScratchDatabases databases;

    @BeforeEach
    void scratch() {
        databases = new ScratchDatabases(temp);
    }

    @AfterEach
    void close() throws Exception {
        databases.close();
    }

    private Database open(StoreKind store) {
        return databases.open(store);
    }

    private static TenantsFileApplier.Result apply(Database database, String yaml) {
        return new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC())
                .apply(TenantsFileParser.parse(yaml, SOURCE));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void providersAndTokenExchangeAreStoredAndAGeneratedRegistrationIdIsKeptOnReapply(StoreKind store) {
        Database database = open(store);
        TenantsFileApplier.Result first = apply(database, FILE);
        assertThat(first.generatedRegistrations()).singleElement().asString().startsWith("T1 Azure customers: registration_id ");

        List<IdentityProvider> providers = new IdentityProviderRepository(database.sql()).list("T1");
        assertThat(providers).hasSize(2);
        IdentityProvider azure = providers.stream().filter(p -> p.realm() == RealmType.CUSTOMER).findFirst().orElseThrow();
        assertThat(azure.jwksUri()).isEmpty();
        assertThat(azure.algorithms()).containsExactly("RS256", "PS256", "ES256");
        assertThat(azure.userClaim()).isEqualTo(UserClaim.SUB);
        assertThat(azure.allowPrivateNetwork()).isTrue();
        assertThat(new IdentityProviderRepository(database.sql()).find("T1", "okta-main")).hasValueSatisfying(okta -> {
            assertThat(okta.jwksUri()).contains("https://example.okta.com/oauth2/default/v1/keys");
            assertThat(okta.audiences()).containsExactly("api://egain");
            assertThat(okta.allowPrivateNetwork()).isFalse();
        });
        assertThat(database.sql().query("SELECT client_id FROM clients WHERE token_exchange = 1", r -> r.getString(1)))
                .containsExactly("web-1");

        var before = DatabaseSnapshot.contents(database.dataSource());
        TenantsFileApplier.Result second = apply(database, FILE);
        assertThat(second.changes()).isZero();
        assertThat(second.generatedRegistrations()).isEmpty();
        assertThat(DatabaseSnapshot.contents(database.dataSource())).isEqualTo(before);

        String withoutExchange = FILE.replace("token_exchange: true", "token_exchange: false");
        assertThat(apply(database, withoutExchange).changes()).isEqualTo(1);
        assertThat(apply(database, withoutExchange.replace("[ RS256, ES256 ]", "[ PS256 ]")).changes()).isEqualTo(1);
        assertThat(new IdentityProviderRepository(database.sql()).find("T1", "okta-main").map(IdentityProvider::algorithms))
                .isEqualTo(Optional.of(List.of("PS256")));
    }

    private static void assertRefused(String yaml, String... messageContains) {
        assertThatThrownBy(() -> TenantsFileParser.parse(yaml, SOURCE)).isInstanceOf(TenantsFileException.class)
                .hasMessageStartingWith(SOURCE + ":").hasMessageContainingAll(messageContains);
    }

    @Test
    void unsafeOrInconsistentRegistrationsAreRefusedAtTheirLines() {
        assertRefused(FILE.replace("[ RS256, ES256 ]", "[ RS256, HS256 ]"), ":15:", "HS256", "never");
        assertRefused(FILE.replace("[ RS256, ES256 ]", "[ none ]"), ":15:", "none");
        assertRefused(FILE.replace("https://example.okta.com/oauth2/default\n", "http://example.okta.com/oauth2/default\n"),
                ":12:", "https");
        assertRefused(FILE.replace("user_claim: sub", "user_claim: preferred_username"), "customers");
        assertRefused(FILE.replace("user_claim: email", "user_claim: upn"), "email, preferred_username or sub");
        assertRefused(FILE.replace("audiences: [ \"api://egain\" ]", "audiences: [ ]"), "at least one");
        assertRefused(FILE.replace("realm: C", "realm: X"), "U (users) or C (customers)");
        assertRefused(FILE.replace("registration_id: okta-main", "registration_id: \"okta main\""), "registration_id");
        assertRefused(FILE.replace("user_claim: email", "user_claim: email\n        secret: x"), "unknown key 'secret'");
        assertRefused(FILE.replace("platform: web, token_exchange: true", "platform: spa, token_exchange: true"),
                ":7:", "public client", "token exchange");
    }
}
