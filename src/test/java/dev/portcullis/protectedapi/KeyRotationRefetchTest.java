package dev.portcullis.protectedapi;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import dev.portcullis.resourceserver.AccessRule;
import dev.portcullis.resourceserver.ActorType;
import dev.portcullis.resourceserver.Decision;
import dev.portcullis.resourceserver.ResourceServer;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import dev.portcullis.token.KeyLifecycle;
import dev.portcullis.token.MasterKey;
import dev.portcullis.token.SigningKeyFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.portcullis.protectedapi.ApiTenants.API_URL;
import static dev.portcullis.protectedapi.ApiTenants.issuer;
import static dev.portcullis.protectedapi.ApiTenants.kid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key rotation at the issuer seen from an API: a token signed by a key the API's cached key set lacks makes
 * one refetch and is accepted, the old key keeps working while published, and once the issuer drops it the
 * API stops accepting its tokens when its cache expires.
 */
class KeyRotationRefetchTest {

    private static final AccessRule APPS = AccessRule.allow(ActorType.CLIENT_APP, "app.read");

    /** Counts the API's JWKS fetches. */
    private static final class CountingRetriever implements ResourceRetriever {
        final AtomicInteger jwksFetches = new AtomicInteger();
        private final ResourceRetriever delegate = new DefaultResourceRetriever(2_000, 2_000, 256 * 1024);

        @Override
        public Resource retrieveResource(URL url) throws IOException {
            if (url.getPath().endsWith("/oauth2/jwks")) {
                jwksFetches.incrementAndGet();
            }
            return delegate.retrieveResource(url);
        }
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private static boolean allowed(ResourceServer api, String token) {
        return api.authorize("Bearer " + token, APPS) instanceof Decision.Allowed;
    }

    @Test
    void aTokenOfANewKeyMakesOneRefetchAndARetiredKeyStopsWorkingWhenTheCacheExpires() throws Exception {
        try (TestServer server = TestServer.start(StoreKind.SQLITE, ApiTenants.YAML)) {
            CountingRetriever retriever = new CountingRetriever();
            ResourceServer api = ResourceServer.builder().trustIssuer(issuer(server, "RS-U")).audience(API_URL)
                    .resourceRetriever(retriever).keyCacheLifetime(Duration.ofSeconds(3))
                    .unknownKeyRefetchInterval(Duration.ofSeconds(1)).build();
            String before = ApiTenants.clientCredentials(server, "RS");
            assertThat(allowed(api, before)).isTrue();
            assertThat(allowed(api, ApiTenants.clientCredentials(server, "RS"))).isTrue();
            assertThat(retriever.jwksFetches).as("one fetch, then the cache").hasValue(1);

            // a rotation with no pre-publication: the new key signs as soon as the server's caches see it
            KeyLifecycle keys = new KeyLifecycle(server.database().sql(),
                    new SigningKeyFactory(MasterKey.decode(TestServer.MASTER_KEY), JWSAlgorithm.RS256), 1);
            String oldKid = kid(before);
            keys.rotate("RS", 0, now());
            String after = ApiTenants.clientCredentials(server, "RS");
            for (long deadline = System.nanoTime() + 10_000_000_000L; kid(after).equals(oldKid); Thread.sleep(100)) {
                assertThat(System.nanoTime()).as("the new key signing").isLessThan(deadline);
                after = ApiTenants.clientCredentials(server, "RS");
            }
            assertThat(allowed(api, after)).as("the new kid, unknown to the cache").isTrue();
            assertThat(retriever.jwksFetches).as("exactly one refetch for it").hasValue(2);
            assertThat(allowed(api, before)).as("the old key is still published").isTrue();
            assertThat(retriever.jwksFetches).hasValue(2);

            long retiresAt = keys.list("RS").stream().filter(key -> key.kid().equals(oldKid)).findFirst().orElseThrow()
                    .retiresAt().orElseThrow();
            keys.runScheduled(retiresAt);
            Thread.sleep(4_000);
            Decision refused = api.authorize("Bearer " + before, APPS);
            assertThat(refused).isInstanceOfSatisfying(Decision.Refused.class, r -> assertThat(r.wwwAuthenticate())
                    .contains("error=\"invalid_token\"", "publishes no RS256 key with kid " + oldKid));
            assertThat(allowed(api, after)).isTrue();
        }
    }
}
