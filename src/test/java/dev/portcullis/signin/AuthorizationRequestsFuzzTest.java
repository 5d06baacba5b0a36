package dev.portcullis.signin;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.ParameterLimits;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.testing.FuzzStore;
import dev.portcullis.testing.FuzzSeeds;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any query string of {@code /oauth2/authorize}, resolved against a stored tenant and clients as the endpoint resolves
 * it: a valid request, or an {@link AuthorizationError}. An error that goes back to the client may only go to a
 * redirect URI registered for the client the query names (no open redirect); any other exception is a finding.
 */
class AuthorizationRequestsFuzzTest {

    private static final long NOW = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();

    @FuzzTest
    void authorizeQuery(byte[] input) {
        FuzzStore store = FuzzStore.get();
        Realm realm = new Realm(store.tenant(), RealmType.USER);
        AuthorizationRequests requests = new AuthorizationRequests(store.clients(), new PushedRequests(store.database().sql()),
                new ResourceIndicators(FuzzStore.API_URL));
        String query = new String(input, StandardCharsets.UTF_8);
        AuthorizationRequest request;
        try {
            request = requests.resolve(realm, query, true, NOW);
        } catch (AuthorizationError refused) {
            assertThat(refused.description()).isNotBlank();
            refused.redirectUri().ifPresent(redirectUri -> assertThat(registeredFor(store, query).acceptsRedirectUri(redirectUri))
                    .as("an error redirected to %s", redirectUri).isTrue());
            return;
        }
        assertThat(request.client().enabled()).isTrue();
        assertThat(request.client().tenantId()).isEqualTo(FuzzStore.TENANT);
        assertThat(request.client().acceptsRedirectUri(request.redirectUri())).isTrue();
        assertThat(request.client().scopes()).containsAll(request.scope().names());
        request.state().ifPresent(state -> assertThat(state).hasSizeLessThanOrEqualTo(ParameterLimits.limitOf("state")));
        request.maxAge().ifPresent(maxAge -> assertThat(maxAge).isNotNegative());
        assertThat(request.returnPath("login")).startsWith(realm.basePath() + "/oauth2/authorize?");
        assertThat(request.returnPath("consent")).startsWith(realm.basePath() + "/oauth2/authorize?");
    }

    /** The client a query names: one that passed resolve's own lookup, or the redirect would not have happened. */
    private static ClientApplication registeredFor(FuzzStore store, String query) {
        String clientId = FormParameters.parse(query.getBytes(StandardCharsets.US_ASCII)).require("client_id");
        return store.clients().find(FuzzStore.TENANT, clientId).orElseThrow();
    }

    /** The valid seeds resolve, so fuzzing starts from requests that reach every check. */
    @Test
    void theValidSeedsResolve() {
        FuzzStore store = FuzzStore.get();
        AuthorizationRequests requests = new AuthorizationRequests(store.clients(), new PushedRequests(store.database().sql()),
                new ResourceIndicators(FuzzStore.API_URL));
        Realm realm = new Realm(store.tenant(), RealmType.USER);
        for (String name : java.util.List.of("spa-pkce", "web-prompt-max-age", "native-loopback-dpop")) {
            AuthorizationRequest request = requests.resolve(realm, new String(seed(name), StandardCharsets.UTF_8), true, NOW);
            assertThat(request.client().tenantId()).as(name).isEqualTo(FuzzStore.TENANT);
        }
    }

    private static byte[] seed(String name) {
        return FuzzSeeds.read(AuthorizationRequestsFuzzTest.class, "authorizeQuery", name);
    }
}
