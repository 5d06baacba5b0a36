package dev.portcullis.admin;

import dev.portcullis.egain.AnonymousCustomerPolicy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tenants file's anonymous_customers section: defaults, and each refusal naming its line. */
class AnonymousCustomersSectionTest {

    private static TenantsFile.TenantSpec parse(String section) {
        return TenantsFileParser.parse("""
                tenants:
                  - id: T
                    name: T
                    scopes:
                      - { name: portal.read, kind: delegated }
                      - { name: portal.manage, kind: delegated }
                      - { name: app.read, kind: application }
                      - { name: obo.read, kind: on-behalf-of }
                """ + section, "t.yaml").tenants().get(0);
    }

    @Test
    void absentMeansDisabled() {
        assertThat(parse("").anonymousCustomers()).isEmpty();
        assertThat(parse("    anonymous_customers:\n").anonymousCustomers()).isEmpty();
    }

    @Test
    void presentMeansEnabledWithDocumentedDefaults() {
        assertThat(parse("    anonymous_customers: { scopes: [ portal.read, portal.read ] }\n").anonymousCustomers())
                .contains(new AnonymousCustomerPolicy(true, List.of("portal.read"), 900, 60, 3000));
    }

    @Test
    void everyKeyCanBeSet() {
        assertThat(parse("""
                    anonymous_customers:
                      enabled: false
                      scopes: [ portal.read, portal.manage ]
                      access_token_ttl: 300
                      requests_per_minute_per_address: 10
                      requests_per_minute_per_tenant: 100
                """).anonymousCustomers())
                .isEqualTo(Optional.of(new AnonymousCustomerPolicy(false, List.of("portal.read", "portal.manage"), 300, 10, 100)));
    }

    @Test
    void aPerAddressLimitAboveTheDefaultTenantLimitRaisesTheTenantLimitWithIt() {
        assertThat(parse("    anonymous_customers: { scopes: [ portal.read ], requests_per_minute_per_address: 5000 }\n")
                .anonymousCustomers().orElseThrow().requestsPerMinutePerTenant()).isEqualTo(5000);
    }

    @Test
    void scopesMustBeDelegatedScopesTheTenantDefines() {
        assertThatThrownBy(() -> parse("    anonymous_customers: { scopes: [ nope ] }\n"))
                .hasMessageContaining("t.yaml:9:").hasMessageContaining("'nope', which tenant T does not define");
        assertThatThrownBy(() -> parse("    anonymous_customers: { scopes: [ app.read ] }\n"))
                .hasMessageContaining("'app.read' is application; anonymous customers may only get delegated scopes");
        assertThatThrownBy(() -> parse("    anonymous_customers: { scopes: [ obo.read ] }\n"))
                .hasMessageContaining("'obo.read' is on-behalf-of");
        assertThatThrownBy(() -> parse("    anonymous_customers: { enabled: true }\n"))
                .hasMessageContaining("anonymous_customers needs 'scopes'");
    }

    @Test
    void numbersAndKeysAreChecked() {
        assertThatThrownBy(() -> parse("    anonymous_customers: { scopes: [ portal.read ], access_token_ttl: 10 }\n"))
                .hasMessageContaining("'access_token_ttl' must be a whole number from 60 to 86400");
        assertThatThrownBy(() -> parse("    anonymous_customers: { scopes: [ portal.read ], requests_per_minute_per_address: 0 }\n"))
                .hasMessageContaining("'requests_per_minute_per_address' must be a whole number from 1");
        assertThatThrownBy(() -> parse("""
                    anonymous_customers: { scopes: [ portal.read ], requests_per_minute_per_address: 50, requests_per_minute_per_tenant: 10 }
                """)).hasMessageContaining("requests_per_minute_per_tenant (10) must be at least requests_per_minute_per_address (50)");
        assertThatThrownBy(() -> parse("    anonymous_customers: { scopes: [ portal.read ], ttl: 60 }\n"))
                .hasMessageContaining("unknown key 'ttl' in anonymous_customers");
        assertThatThrownBy(() -> parse("    anonymous_customers: { scopes: [ portal.read ], enabled: yes }\n"))
                .hasMessageContaining("'enabled' must be true or false");
    }

    @Test
    void theDemoTenantAllowsAnonymousCustomersDelegatedScopes() {
        assertThat(DemoTenant.load().tenants().get(0).anonymousCustomers()).hasValueSatisfying(policy -> {
            assertThat(policy.enabled()).isTrue();
            assertThat(policy.scopes()).containsExactly("knowledge.portalmgr.read", "core.aiservices.read");
        });
    }
}
