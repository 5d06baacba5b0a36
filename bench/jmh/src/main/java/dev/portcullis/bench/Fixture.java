package dev.portcullis.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.admin.TenantsFileApplier;
import dev.portcullis.admin.TenantsFileParser;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientAuthenticator;
import dev.portcullis.client.ClientCredentials;
import dev.portcullis.client.ClientDirectory;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.grant.ClientCredentialsGrantHandler;
import dev.portcullis.grant.GrantHandler;
import dev.portcullis.grant.GrantRegistry;
import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.grant.OnBehalfOfGrantHandler;
import dev.portcullis.identity.SubjectDirectory;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.store.Database;
import dev.portcullis.store.LookupCache;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.token.AccessTokenIssuer;
import dev.portcullis.token.IssuedToken;
import dev.portcullis.token.MasterKey;
import dev.portcullis.token.KeyLifecycle;
import dev.portcullis.token.SigningKeyFactory;
import dev.portcullis.token.SigningKeyRepository;
import dev.portcullis.token.SigningKeys;
import dev.portcullis.token.TokenGrant;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The server's token path wired as {@code Portcullis.start} wires it, minus HTTP: an in-memory
 * SQLite database holding a demo-shaped tenant (applied through the real tenants-file parser and
 * applier), the cached directories over it, the two grant handlers, and the token issuer. The
 * directories and signing keys are caches, so once {@link #warm()} has run no request touches
 * the database.
 */
public final class Fixture implements AutoCloseable {

    public static final String TENANT = "TMPRODB88619984";
    public static final String REALM_ID = TENANT + "-U";
    public static final String CLIENT_ID = "7121f585-e403-4531-9a38-1826ebc7e7d8";
    public static final String SECRET = "demo-secret-7121f585-do-not-use-in-production";
    public static final String OBO_SCOPE = "knowledge.portalmgr.onbehalfof.read knowledge.portalmgr.onbehalfof.manage";
    public static final String CC_SCOPE = "app.knowledge.contentmgr.manage";

    /** On-Behalf-Of as eGain documents it: grant_type=password naming the user, client_secret_post. */
    public static final byte[] OBO_BODY = ("grant_type=password"
            + "&client_id=" + CLIENT_ID
            + "&client_secret=" + SECRET
            + "&scope=knowledge.portalmgr.onbehalfof.read+knowledge.portalmgr.onbehalfof.manage"
            + "&subject_username=pa").getBytes(StandardCharsets.UTF_8);

    /** Client Credentials with client_secret_post. */
    public static final byte[] CC_BODY = ("grant_type=client_credentials"
            + "&client_id=" + CLIENT_ID
            + "&client_secret=" + SECRET
            + "&scope=app.knowledge.contentmgr.manage").getBytes(StandardCharsets.UTF_8);

    /** Client Credentials with client_secret_basic: the body carries only the grant. */
    public static final byte[] CC_BASIC_BODY = "grant_type=client_credentials&scope=app.knowledge.contentmgr.manage"
            .getBytes(StandardCharsets.UTF_8);
    public static final Optional<String> BASIC_HEADER = Optional.of("Basic " + Base64.getEncoder()
            .encodeToString((CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8)));

    /** Mirrors examples/demo-tenants.yaml (passwords left out: OBO never checks one, and Argon2 only slows setup). */
    static final String TENANTS_YAML = """
            tenants:
              - id: TMPRODB88619984
                name: Demo partition
                access_token_ttl: 3600
                scopes:
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of, description: Read portal content on behalf of a user }
                  - { name: knowledge.portalmgr.onbehalfof.manage, kind: on-behalf-of, description: Manage portal content on behalf of a user }
                  - { name: core.aiservices.read, kind: delegated, description: Read AI services }
                  - { name: core.aiservices.write, kind: delegated, description: Use AI services }
                  - { name: knowledge.portalmgr.read, kind: delegated, description: Read portal content }
                  - { name: app.knowledge.contentmgr.manage, kind: application, description: Manage knowledge content as the application }
                users:
                  - { id: "1001", username: pa, email: pa@example.com }
                customers:
                  - { id: "c-2001", email: jane@example.com }
                clients:
                  - client_id: 7121f585-e403-4531-9a38-1826ebc7e7d8
                    name: Portal sync (demo)
                    platform: web
                    secrets: [ "demo-secret-7121f585-do-not-use-in-production" ]
                    scopes: [ knowledge.portalmgr.onbehalfof.read, knowledge.portalmgr.onbehalfof.manage, app.knowledge.contentmgr.manage ]
                    redirect_uris: [ "https://app.example.com/callback" ]
            """;

    public final Database database;
    public final Clock clock = Clock.systemUTC();
    public final TenantDirectory tenants;
    public final ClientDirectory clients;
    public final SubjectDirectory subjects;
    public final ClientAuthenticator authenticator;
    public final GrantRegistry grants;
    public final OnBehalfOfGrantHandler onBehalfOf;
    public final ClientCredentialsGrantHandler clientCredentials;
    public final SigningKeys keys;
    public final AccessTokenIssuer issuer;
    public final JWSAlgorithm algorithm;

    public Fixture(JWSAlgorithm algorithm) {
        this.algorithm = algorithm;
        // A private, shared-cache in-memory database: it lives as long as the pool holds a connection.
        this.database = Database.open("jdbc:sqlite:file:portcullis-bench-" + UUID.randomUUID()
                + "?mode=memory&cache=shared", 2);
        Sql sql = database.sql();
        byte[] master = new byte[32];
        new java.security.SecureRandom().nextBytes(master);
        MasterKey masterKey = MasterKey.decode(Base64.getEncoder().encodeToString(master));
        ClientSecretHasher secretHasher = ClientSecretHasher.open(masterKey, sql);
        new TenantsFileApplier(sql, secretHasher, clock).apply(TenantsFileParser.parse(TENANTS_YAML, "bench-tenants.yaml"));

        LookupCache lookups = new LookupCache(32L * 1024 * 1024);
        this.tenants = new TenantDirectory(new TenantRepository(sql), lookups);
        // as the server wires it: the built-in console client is looked up before the stored ones
        this.clients = new ClientDirectory(new ClientRepository(sql), lookups, new dev.portcullis.console.ConsoleClient("http://127.0.0.1:8080"));
        this.subjects = new SubjectDirectory(new SubjectRepository(sql), lookups);
        this.authenticator = new ClientAuthenticator(clients, secretHasher, clock);
        ResourceIndicators resources = new ResourceIndicators("https://api.example.com");
        this.onBehalfOf = new OnBehalfOfGrantHandler(subjects, resources);
        this.clientCredentials = new ClientCredentialsGrantHandler(resources);
        this.grants = new GrantRegistry(List.<GrantHandler<?>>of(onBehalfOf, clientCredentials));
        SigningKeyFactory keyFactory = new SigningKeyFactory(masterKey, algorithm);
        this.keys = new SigningKeys(new SigningKeyRepository(sql), keyFactory, new KeyLifecycle(sql, keyFactory, 2), clock);
        this.issuer = new AccessTokenIssuer(keys, "https://auth.example.com", "https://api.example.com", clock);
    }

    public Realm realm() {
        return tenants.realm(REALM_ID).orElseThrow(() -> new IllegalStateException("realm " + REALM_ID + " not found"));
    }

    public ClientApplication client() {
        return clients.find(TENANT, CLIENT_ID).orElseThrow();
    }

    /**
     * The token endpoint's script without HTTP, audit or metrics: resolve the realm, parse the
     * form, dispatch on grant_type, parse the client credentials, parse the grant request,
     * authenticate, decide the grant. Signing is left to the caller.
     */
    public TokenGrant decide(byte[] body, Optional<String> authorization) {
        Realm realm = tenants.realm(REALM_ID).orElseThrow();
        FormParameters form = FormParameters.parse(body);
        String grantType = form.get("grant_type").orElseThrow();
        GrantHandler<?> handler = grants.forType(grantType).orElseThrow();
        ClientCredentials credentials = ClientCredentials.parse(authorization, form, realm.id());
        return run(handler, form, realm, credentials);
    }

    private <R> TokenGrant run(GrantHandler<R> handler, FormParameters form, Realm realm, ClientCredentials credentials) {
        R request = handler.parse(form, realm);
        ClientApplication client = authenticator.authenticate(realm, credentials, handler.grantType(),
                handler.allowsPublicClients());
        return handler.grant(request, client, realm, Optional.empty());
    }

    /** The whole path: {@link #decide} then sign. */
    public IssuedToken token(byte[] body, Optional<String> authorization) {
        return issuer.issue(decide(body, authorization));
    }

    /** Fills every cache and checks that both grants yield a token that verifies with the tenant's public key. */
    public void warm() {
        verify(token(OBO_BODY, Optional.empty()), "password");
        verify(token(CC_BODY, Optional.empty()), "client_credentials");
        verify(token(CC_BASIC_BODY, BASIC_HEADER), "client_credentials");
    }

    private void verify(IssuedToken token, String grant) {
        try {
            SignedJWT jwt = SignedJWT.parse(token.accessToken());
            JWK jwk = keys.activeKey(TENANT).publicJwk();
            JWSVerifier verifier = jwk instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier(jwk.toRSAKey());
            if (!jwt.getHeader().getAlgorithm().equals(algorithm) || !jwt.verify(verifier)) {
                throw new IllegalStateException(grant + " token does not verify as " + algorithm);
            }
        } catch (Exception e) {
            throw new IllegalStateException("fixture self-check failed for " + grant + ": " + e, e);
        }
    }

    @Override
    public void close() {
        database.close();
    }
}
