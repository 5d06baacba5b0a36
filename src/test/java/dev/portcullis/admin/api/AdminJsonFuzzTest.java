package dev.portcullis.admin.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.admin.RequestValidator;
import dev.portcullis.admin.TenantsFileException;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.testing.FuzzStore;
import dev.portcullis.testing.FuzzSeeds;

import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any admin API request body, read as the resources read it: parsed as one JSON object, then validated as a client,
 * user, customer, tenant, scope and identity provider, and merged (RFC 7396) into a stored client as a PATCH is. Each
 * step returns or refuses with a {@link Problem} or a {@link TenantsFileException} (which the router answers as a
 * problem); anything else would be a 500 and is a finding.
 */
class AdminJsonFuzzTest {

    @FuzzTest
    void requestBody(byte[] body) {
        ObjectNode json;
        try {
            json = AdminJson.parseObject(body);
        } catch (Problem refused) {
            assertThat(refused.status()).isEqualTo(400);
            return;
        }
        FuzzStore store = FuzzStore.get();
        Tenant tenant = store.tenant();
        Map<String, ScopeKind> scopeKinds = tenant.scopes().values().stream()
                .collect(Collectors.toMap(ScopeDefinition::name, ScopeDefinition::kind));
        validated(json, candidate -> RequestValidator.client(candidate, tenant));
        validated(json, candidate -> RequestValidator.subject(candidate, tenant, RealmType.USER));
        validated(json, candidate -> RequestValidator.subject(candidate, tenant, RealmType.CUSTOMER));
        validated(json, candidate -> RequestValidator.tenantSettings(candidate, scopeKinds));
        validated(json, RequestValidator::scope);
        validated(json, RequestValidator::identityProvider);
        ObjectNode stored = ClientResource.representation(store.clients().find(FuzzStore.TENANT, "fuzz-web").orElseThrow());
        ObjectNode patched = AdminJson.mergePatch(stored, json);
        assertThat(stored).as("the stored client after a merge").isEqualTo(
                ClientResource.representation(store.clients().find(FuzzStore.TENANT, "fuzz-web").orElseThrow()));
        patched.remove("dynamically_registered");
        patched.put("client_id", "fuzz-web");
        validated(patched, candidate -> RequestValidator.client(candidate, tenant));
    }

    private static void validated(ObjectNode json, Consumer<ObjectNode> validator) {
        try {
            validator.accept(json.deepCopy());
        } catch (TenantsFileException refused) {
            assertThat(refused.detail()).isNotBlank();
        } catch (Problem refused) {
            assertThat(refused.status()).isEqualTo(400);
        }
    }

    /** Each seed is a body its resource accepts, so fuzzing starts from inputs that get past every validator's first checks. */
    @Test
    void theSeedsAreValidBodies() {
        Tenant tenant = FuzzStore.get().tenant();
        assertThat(RequestValidator.client(AdminJson.parseObject(seed("client")), tenant).clientId()).isEqualTo("new-web");
        assertThat(RequestValidator.subject(AdminJson.parseObject(seed("user")), tenant, RealmType.USER).id()).isEqualTo("u-42");
        assertThat(RequestValidator.subject(AdminJson.parseObject(seed("customer")), tenant, RealmType.CUSTOMER).id()).isEqualTo("c-7");
        assertThat(RequestValidator.tenantSettings(AdminJson.parseObject(seed("tenant")), Map.of("docs.read", ScopeKind.DELEGATED)).id())
                .isEqualTo("NEWTENANT");
        assertThat(RequestValidator.scope(AdminJson.parseObject(seed("scope"))).name()).isEqualTo("docs.write");
        assertThat(RequestValidator.identityProvider(AdminJson.parseObject(seed("identity-provider"))).registrationId()).hasValue("okta");
    }

    private static byte[] seed(String name) {
        return FuzzSeeds.read(AdminJsonFuzzTest.class, "requestBody", name);
    }
}
