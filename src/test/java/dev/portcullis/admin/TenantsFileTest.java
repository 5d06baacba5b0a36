package dev.portcullis.admin;

import dev.portcullis.client.SecretHasher;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
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

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.portcullis.testing.OAuthResponses.assertError;
import static dev.portcullis.testing.OAuthResponses.assertToken;
import static dev.portcullis.testing.OAuthResponses.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tenants files: refused whole with the offending line, applied atomically and idempotently, secrets only as hashes. */
class TenantsFileTest {

    private static final String SOURCE = "tenants.yaml";
    private static final String SECRET_A = "secret-a-0123456789abcdefghijklmnopq";
    private static final String SECRET_B = "secret-b-0123456789abcdefghijklmnopq";
    private static final String PASSWORD = "correct horse battery staple";

    private static final String VALID = """
            tenants:
              - id: T1
                name: Tenant one
                access_token_ttl: 900
                scopes:
                  - { name: obo.read, kind: on-behalf-of, description: Read for a user }
                  - { name: app.read, kind: application }
                users:
                  - { id: "u1", username: Una, email: una@example.com, password: "correct horse battery staple" }
                  - { id: "u2", username: dos }
                customers:
                  - { id: "c1", email: cee@example.com, password: "correct horse battery staple" }
                clients:
                  - client_id: web-1
                    name: Web one
                    platform: web
                    access_token_ttl: 300
                    secrets:
                      - "secret-a-0123456789abcdefghijklmnopq"
                      - { value: "secret-b-0123456789abcdefghijklmnopq", expires_at: 2999-01-31 }
                    scopes: [ obo.read, app.read ]
                    redirect_uris: [ "https://app.example.com/callback" ]
                  - client_id: spa-1
                    name: SPA one
                    platform: spa
                    scopes: [ obo.read ]
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
        return new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC()).apply(TenantsFileParser.parse(yaml, SOURCE));
    }

    private static String keyedHash(String secret) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(dev.portcullis.token.MasterKey.decode(TestServer.MASTER_KEY).derive("client-secret-hmac"));
        return SecretHasher.encode(mac.doFinal(SecretHasher.hash(secret)));
    }

    /** The 1-based line of the only line containing {@code marker}. */
    private static int lineOf(String yaml, String marker) {
        String[] lines = yaml.split("\n", -1);
        int found = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(marker)) {
                assertThat(found).as("marker '%s' must be on one line", marker).isEqualTo(-1);
                found = i + 1;
            }
        }
        assertThat(found).as("marker '%s' present", marker).isPositive();
        return found;
    }

    private static void assertRefusedAt(String yaml, String marker, String... messageContains) {
        int line = lineOf(yaml, marker);
        assertThatThrownBy(() -> TenantsFileParser.parse(yaml, SOURCE))
                .isInstanceOf(TenantsFileException.class)
                .hasMessageStartingWith(SOURCE + ":" + line + ": ")
                .hasMessageContainingAll(messageContains);
    }

    // ---- validation, with the line -------------------------------------------------------------

    @Test
    void theValidFileParses() {
        TenantsFile file = TenantsFileParser.parse(VALID, SOURCE);
        assertThat(file.tenants()).hasSize(1);
        assertThat(file.tenants().get(0).clients()).hasSize(2);
        assertThat(file.tenants().get(0).clients().get(0).secrets().orElseThrow()).hasSize(2);
    }

    @Test
    void unknownTenantKeyIsRefusedAtItsLine() {
        assertRefusedAt(VALID.replace("    access_token_ttl: 900\n", "    access_token_ttl: 900\n    colour: blue\n"),
                "colour: blue", "unknown key 'colour'");
    }

    @Test
    void anUnsupportedSigningAlgOrTypIsRefusedAtItsLine() {
        assertRefusedAt(VALID.replace("    access_token_ttl: 900\n", "    access_token_ttl: 900\n    signing_alg: HS256\n"),
                "signing_alg: HS256", "signing_alg must be one of RS256, PS256, ES256, EdDSA");
        assertRefusedAt(VALID.replace("    access_token_ttl: 900\n", "    access_token_ttl: 900\n    signing_alg: es256\n"),
                "signing_alg: es256", "not 'es256'");
        assertRefusedAt(VALID.replace("    access_token_ttl: 900\n", "    access_token_ttl: 900\n    access_token_typ: jwt+at\n"),
                "access_token_typ: jwt+at", "access_token_typ must be at+jwt or JWT");
        TenantsFile.TokenSigning signing = TenantsFileParser.parse(VALID.replace("    access_token_ttl: 900\n",
                "    access_token_ttl: 900\n    signing_alg: EdDSA\n    access_token_typ: JWT\n"), SOURCE).tenants().get(0).tokenSigning();
        assertThat(signing).isEqualTo(new TenantsFile.TokenSigning(java.util.Optional.of("EdDSA"), "JWT"));
        assertThat(TenantsFileParser.parse(VALID, SOURCE).tenants().get(0).tokenSigning())
                .as("defaults: the server's algorithm, at+jwt").isEqualTo(new TenantsFile.TokenSigning(java.util.Optional.empty(), "at+jwt"));
    }

    @Test
    void aPasswordHashMustBeArgon2idAndComesWithoutAPassword() {
        assertRefusedAt(VALID.replace("{ id: \"u2\", username: dos }", "{ id: \"u2\", username: dos, password_hash: \"$2a$10$bcrypt\" }"),
                "$2a$10$bcrypt", "password_hash must be an Argon2id hash");
        assertRefusedAt(VALID.replace("{ id: \"c1\", email: cee@example.com, password: \"correct horse battery staple\" }",
                        "{ id: \"c1\", email: cee@example.com, password: \"correct horse battery staple\", password_hash: \"$argon2id$x\" }"),
                "$argon2id$x", "either password or password_hash");
        TenantsFile.SubjectSpec u2 = TenantsFileParser.parse(VALID.replace("{ id: \"u2\", username: dos }",
                "{ id: \"u2\", username: dos, password_hash: \"$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA\" }"), SOURCE)
                .tenants().get(0).users().get(1);
        assertThat(u2.passwordHash()).contains("$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA");
        assertThat(u2.password()).isEmpty();
    }

    @Test
    void aPasswordHasFrom8To1024CharactersTheMostTheSignInFormAccepts() {
        assertRefusedAt(VALID.replace("{ id: \"u2\", username: dos }", "{ id: \"u2\", username: dos, password: \"seven77\" }"),
                "seven77", "at least 8 characters");
        String tooLong = "p".repeat(1025);
        assertRefusedAt(VALID.replace("{ id: \"u2\", username: dos }", "{ id: \"u2\", username: dos, password: \"" + tooLong + "\" }"),
                tooLong, "at most 1024 characters");
        assertThat(TenantsFileParser.parse(VALID.replace("{ id: \"u2\", username: dos }", "{ id: \"u2\", username: dos, password: \""
                + tooLong.substring(1) + "\" }"), SOURCE).tenants().get(0).users().get(1).password()).contains(tooLong.substring(1));
    }

    @Test
    void unknownClientKeyIsRefusedAtItsLine() {
        assertRefusedAt(VALID.replace("    platform: spa\n", "    platform: spa\n        grant_types: [ implicit ]\n"),
                "grant_types", "unknown key 'grant_types'");
    }

    @Test
    void unknownTopLevelKeyIsRefusedAtItsLine() {
        assertRefusedAt("version: 2\n" + VALID, "version: 2", "unknown key 'version'");
    }

    @Test
    void unknownScopeOnAClientIsRefusedAtItsLine() {
        String yaml = VALID.replace("    scopes: [ obo.read ]\n", "    scopes:\n          - obo.read\n          - obo.nope\n");
        assertRefusedAt(yaml, "obo.nope", "'obo.nope'", "spa-1", "T1");
    }

    @Test
    void secretOnAnSpaClientIsRefusedAtItsLine() {
        String yaml = VALID.replace("    platform: spa\n", "    platform: spa\n        secrets: [ \"spa-secret-0123456789abcdefghijklmnop\" ]\n");
        assertRefusedAt(yaml, "spa-secret", "spa-1", "cannot have secrets");
    }

    @Test
    void duplicateTenantIdIsRefusedAtTheSecondTenant() {
        String yaml = VALID + "  - id: T1\n    name: Again\n";
        assertThatThrownBy(() -> TenantsFileParser.parse(yaml, SOURCE))
                .hasMessageStartingWith(SOURCE + ":" + (lineOf(yaml, "name: Again") - 1) + ": ")
                .hasMessageContaining("duplicate tenant id 'T1'");
    }

    @Test
    void duplicateClientIdIsRefusedAtTheSecondClient() {
        String yaml = VALID + "      - client_id: web-1\n        name: Web one again\n        platform: spa\n";
        assertThatThrownBy(() -> TenantsFileParser.parse(yaml, SOURCE))
                .hasMessageStartingWith(SOURCE + ":" + (lineOf(yaml, "Web one again") - 1) + ": ")
                .hasMessageContaining("duplicate client_id 'web-1'");
    }

    @Test
    void duplicateUserIdOrUsernameIsRefusedAtTheSecondUser() {
        assertRefusedAt(VALID.replace("{ id: \"u2\", username: dos }", "{ id: \"u1\", username: dos }"),
                "username: dos", "duplicate user id 'u1'");
        assertRefusedAt(VALID.replace("{ id: \"u2\", username: dos }", "{ id: \"u2\", username: UNA }"),
                "username: UNA", "duplicate username 'UNA'");
    }

    @Test
    void duplicateScopeIsRefusedAtItsLine() {
        assertRefusedAt(VALID.replace("      - { name: app.read, kind: application }\n",
                        "      - { name: app.read, kind: application }\n      - { name: app.read, kind: delegated }\n"),
                "kind: delegated", "duplicate scope 'app.read'");
    }

    @Test
    void secretShorterThan32CharactersIsRefusedAtItsLine() {
        String shortSecret = "x".repeat(31);
        assertRefusedAt(VALID.replace("\"secret-a-0123456789abcdefghijklmnopq\"", "\"" + shortSecret + "\""),
                shortSecret, "at least 32 characters");
        assertRefusedAt(VALID.replace("value: \"secret-b-0123456789abcdefghijklmnopq\"", "value: \"" + shortSecret + "\""),
                shortSecret, "at least 32 characters");
        // exactly 32 is enough
        TenantsFileParser.parse(VALID.replace("\"secret-a-0123456789abcdefghijklmnopq\"", "\"" + "y".repeat(32) + "\""), SOURCE);
    }

    @Test
    void moreThanTwoSecretsAreRefusedAtTheSecretsList() {
        String yaml = VALID.replace("          - \"secret-a-0123456789abcdefghijklmnopq\"\n",
                "          - \"secret-a-0123456789abcdefghijklmnopq\"\n          - \"secret-c-0123456789abcdefghijklmnopq\"\n");
        // the secrets list begins at its first item
        assertRefusedAt(yaml, "- \"secret-a-", "at most 2 secrets");
        String flow = VALID.replace("    platform: spa\n", "    platform: web\n        secrets: [ \"" + "a".repeat(32) + "\", \""
                + "b".repeat(32) + "\", \"" + "c".repeat(32) + "\" ]\n");
        assertRefusedAt(flow, "a".repeat(32), "at most 2 secrets");
    }

    @Test
    void theSameSecretListedTwiceIsRefusedAtTheSecondListing() {
        // applied, it stored two rows for one secret and a re-apply then counted a change (not idempotent)
        String twice = VALID.replace("value: \"secret-b-0123456789abcdefghijklmnopq\", expires_at: 2999-01-31",
                "value: \"secret-a-0123456789abcdefghijklmnopq\"");
        assertRefusedAt(twice, "value: \"secret-a-", "duplicate secret", "web-1");
    }

    @Test
    void badScopeKindPlatformTtlAndExpiryAreRefusedAtTheirLines() {
        assertRefusedAt(VALID.replace("kind: application }", "kind: app }"), "kind: app }", "'app'");
        assertRefusedAt(VALID.replace("platform: spa", "platform: desktop"), "platform: desktop", "web, spa or native");
        assertRefusedAt(VALID.replace("access_token_ttl: 300", "access_token_ttl: 30"), "access_token_ttl: 30", "between 60");
        assertRefusedAt(VALID.replace("expires_at: 2999-01-31", "expires_at: next year"), "next year", "expires_at");
    }

    @Test
    void yamlSyntaxErrorsAndDuplicateKeysNameTheLine() {
        assertRefusedAt(VALID.replace("    name: Tenant one\n", "    name: Tenant one\n    name: Tenant uno\n"),
                "Tenant uno", "duplicate key 'name'");
        assertRefusedAt(VALID.replace("    platform: spa\n", "    platform: spa\n        enabled: true\n        enabled: false\n"),
                "enabled: false", "duplicate key 'enabled'");
        String broken = VALID.replace("scopes: [ obo.read, app.read ]", "scopes: [ obo.read, app.read");
        assertThatThrownBy(() -> TenantsFileParser.parse(broken, SOURCE)).isInstanceOf(TenantsFileException.class)
                .hasMessageMatching("tenants\\.yaml:\\d+: .*");
        assertThatThrownBy(() -> TenantsFileParser.parse("", SOURCE)).isInstanceOf(TenantsFileException.class)
                .hasMessageContaining("tenants:");
    }

    // ---- applying ------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void applyingTheSameFileTwiceChangesNothing(StoreKind store) {
        Database database = open(store);
        TenantsFileApplier.Result first = apply(database, VALID);
        assertThat(first.tenants()).isEqualTo(1);
        assertThat(first.changes()).isPositive();
        Map<String, List<String>> afterFirst = DatabaseSnapshot.contents(database.dataSource());

        TenantsFileApplier.Result second = apply(database, VALID);
        assertThat(second.changes()).isZero();
        assertThat(DatabaseSnapshot.contents(database.dataSource())).as("not a byte changed, password hashes included")
                .isEqualTo(afterFirst);
        assertThat(apply(database, VALID).changes()).isZero();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void eachUpsertedDifferenceCountsAsAChange(StoreKind store) {
        Database database = open(store);
        apply(database, VALID);
        String renamed = VALID.replace("name: Web one", "name: Web one (renamed)");
        assertThat(apply(database, renamed).changes()).isEqualTo(1);
        assertThat(database.sql().queryOne("SELECT name FROM clients WHERE client_id = 'web-1'", r -> r.getString(1)))
                .contains("Web one (renamed)");
        String disabled = renamed.replace("{ id: \"u2\", username: dos }", "{ id: \"u2\", username: dos, enabled: false }");
        assertThat(apply(database, disabled).changes()).isEqualTo(1);
        assertThat(apply(database, disabled).changes()).isZero();
        // dropping one secret from the list removes it
        String oneSecret = disabled.replace("          - \"secret-a-0123456789abcdefghijklmnopq\"\n", "");
        assertThat(apply(database, oneSecret).changes()).isEqualTo(1);
        assertThat(database.sql().query("SELECT id FROM client_secrets", r -> r.getString(1))).hasSize(1);
        // a file that does not mention secrets leaves the stored ones alone
        String noSecrets = oneSecret.replace("          - { value: \"secret-b-0123456789abcdefghijklmnopq\", expires_at: 2999-01-31 }\n", "")
                .replace("        secrets:\n", "");
        assertThat(apply(database, noSecrets).changes()).isZero();
        assertThat(database.sql().query("SELECT id FROM client_secrets", r -> r.getString(1))).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aFileThatFailsWhileApplyingLeavesTheDatabaseAsItWas(StoreKind store) {
        Database database = open(store);
        apply(database, VALID);
        Map<String, List<String>> before = DatabaseSnapshot.contents(database.dataSource());
        // valid on its own, but u3 takes the username u1 already holds in the database
        String conflicting = VALID.replace("name: Web one", "name: Web one (renamed)")
                .replace("name: Tenant one", "name: Tenant renamed")
                .replace("{ id: \"u1\", username: Una, email: una@example.com, password: \"correct horse battery staple\" }",
                        "{ id: \"u3\", username: una }");
        TenantsFile parsed = TenantsFileParser.parse(conflicting, SOURCE);
        assertThatThrownBy(() -> new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC()).apply(parsed))
                .isInstanceOf(StoreException.class);
        assertThat(DatabaseSnapshot.contents(database.dataSource())).isEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void secretsAreStoredOnlyAsKeyedHashesAndPasswordsAsArgon2id(StoreKind store) throws Exception {
        Database database = open(store);
        apply(database, VALID);
        String everything = DatabaseSnapshot.contents(database.dataSource()).toString();
        assertThat(everything).doesNotContain(SECRET_A, SECRET_B, PASSWORD, "secret-a-", "secret-b-", "horse");

        List<String> hashes = database.sql().query("SELECT secret_hash FROM client_secrets WHERE client_id = 'web-1'",
                row -> row.getString(1));
        // HMAC-SHA-256 under the master key's derived key, over the SHA-256: a dump alone cannot test guesses
        assertThat(hashes).containsExactlyInAnyOrder(keyedHash(SECRET_A), keyedHash(SECRET_B))
                .doesNotContain(SecretHasher.encode(SecretHasher.hash(SECRET_A)), SecretHasher.encode(SecretHasher.hash(SECRET_B)));
        assertThat(database.sql().query("SELECT DISTINCT hash_scheme FROM client_secrets", row -> row.getString(1)))
                .containsExactly("hmac-sha256");

        List<String> passwords = database.sql().query("SELECT password_hash FROM subjects WHERE password_hash IS NOT NULL ORDER BY id",
                row -> row.getString(1));
        assertThat(passwords).hasSize(2).allSatisfy(hash -> {
            assertThat(hash).startsWith("$argon2id$");
            assertThat(PasswordHasher.verify(PASSWORD, hash)).isTrue();
            assertThat(PasswordHasher.verify(PASSWORD + "x", hash)).isFalse();
        });
        assertThat(passwords.get(0)).as("salted").isNotEqualTo(passwords.get(1));
        assertThat(database.sql().queryOne("SELECT COUNT(*) FROM subjects WHERE id = 'u2' AND password_hash IS NULL",
                r -> r.getInt(1))).as("no password, no hash").contains(1);
    }

    // ---- a running server follows the file -----------------------------------------------------

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void reApplyingAChangedFileTakesEffectOnARunningServer(StoreKind store) throws Exception {
        try (TestServer server = TestServer.start(store, VALID)) {
            Map<String, String> onBehalf = form("grant_type", "password", "client_id", "web-1", "client_secret", SECRET_A,
                    "scope", "obo.read", "subject_username", "dos");
            assertToken(server.postForm("/system/auth/T1-U/oauth2/token", onBehalf));
            Map<String, String> cc = form("grant_type", "client_credentials", "client_id", "web-1", "client_secret", SECRET_A,
                    "scope", "app.read");
            assertToken(server.postForm("/system/auth/T1-U/oauth2/token", cc));

            String changed = VALID.replace("{ id: \"u2\", username: dos }", "{ id: \"u2\", username: dos, enabled: false }")
                    .replace("          - \"secret-a-0123456789abcdefghijklmnopq\"\n", "")
                    .replace("scopes: [ obo.read, app.read ]", "scopes: [ obo.read ]");
            TenantsFileApplier.Result result = new TenantsFileApplier(server.database().sql(), TestServer.secretHasher(), Clock.systemUTC())
                    .apply(TenantsFileParser.parse(changed, SOURCE));
            assertThat(result.changes()).isEqualTo(3);

            assertEventually(() -> server.postForm("/system/auth/T1-U/oauth2/token", onBehalf), 400, "invalid_client");
            Map<String, String> withB = new java.util.HashMap<>(onBehalf);
            withB.put("client_secret", SECRET_B);
            assertEventually(() -> server.postForm("/system/auth/T1-U/oauth2/token", withB), 400, "invalid_grant");
            Map<String, String> ccB = new java.util.HashMap<>(cc);
            ccB.put("client_secret", SECRET_B);
            assertEventually(() -> server.postForm("/system/auth/T1-U/oauth2/token", ccB), 400, "invalid_scope");
        }
    }

    /** Polls for up to 5 s (the fixture refreshes caches every second) for the status; a null error means a token. */
    static void assertEventually(Supplier<HttpResponse<String>> request, int status, String error) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        HttpResponse<String> response = request.get();
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = request.get();
        }
        if (error == null) {
            assertToken(response);
        } else {
            assertError(response, status, error);
        }
    }
}
