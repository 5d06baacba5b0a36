package dev.portcullis.admin;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.admin.TenantsFile.TenantSpec;
import dev.portcullis.tenant.BuiltInScopes;

import dev.portcullis.testing.FuzzSeeds;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any tenants file: parsed and validated, or refused with a {@link TenantsFileException} that names the file.
 * Any other exception (or error) is a finding. What is accepted keeps the file's promises: no duplicate tenant,
 * scope or client ids, and a client holds only scopes its tenant defines or the built-in ones.
 */
class TenantsFileParserFuzzTest {

    private static final String SOURCE = "fuzzed-tenants.yaml";

    @FuzzTest
    void tenantsFile(byte[] input) {
        TenantsFile file;
        try {
            file = TenantsFileParser.parse(new String(input, StandardCharsets.UTF_8), SOURCE);
        } catch (TenantsFileException refused) {
            assertThat(refused.getMessage()).startsWith(SOURCE + ":");
            assertThat(refused.detail()).isNotBlank();
            return;
        }
        Set<String> tenantIds = new HashSet<>();
        for (TenantSpec tenant : file.tenants()) {
            assertThat(tenantIds.add(tenant.id())).as("tenant %s once", tenant.id()).isTrue();
            Set<String> scopes = new HashSet<>();
            for (ScopeSpec scope : tenant.scopes()) {
                assertThat(scopes.add(scope.name())).as("scope %s once", scope.name()).isTrue();
            }
            Set<String> clientIds = new HashSet<>();
            for (ClientSpec client : tenant.clients()) {
                assertThat(clientIds.add(client.clientId())).as("client %s once", client.clientId()).isTrue();
                client.scopes().forEach(scope -> assertThat(scopes.contains(scope) || BuiltInScopes.isBuiltIn(scope))
                        .as("client %s's scope %s is defined", client.clientId(), scope).isTrue());
            }
        }
    }

    /** The seeds are valid files, so fuzzing starts from inputs that reach every section. */
    @Test
    void theSeedsAreValidFiles() {
        for (String name : java.util.List.of("demo-tenants.yaml", "every-section.yaml", "fuzz-tenants.yaml", "ops-tenants.yaml")) {
            assertThat(TenantsFileParser.parse(new String(seed(name), StandardCharsets.UTF_8), name).tenants()).as(name).isNotEmpty();
        }
    }

    private static byte[] seed(String name) {
        return FuzzSeeds.read(TenantsFileParserFuzzTest.class, "tenantsFile", name);
    }
}
