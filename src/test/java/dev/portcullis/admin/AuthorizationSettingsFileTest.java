package dev.portcullis.admin;

import dev.portcullis.store.Database;
import dev.portcullis.tenant.AuthorizationSettings;
import dev.portcullis.tenant.TenantRepository;
import dev.portcullis.testing.ScratchDatabases;
import dev.portcullis.testing.StoreKind;
import dev.portcullis.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tenant's settings for resources (RFC 8707), Client ID Metadata Documents, dynamic registration, PAR and DPoP
 * nonces in the tenants file: refused at their line when wrong, stored as given, the initial access token only as a hash.
 */
class AuthorizationSettingsFileTest {

    private static final String TOKEN = "initial-access-token-0123456789abcdefghij";
    private static final String BASE = """
            tenants:
              - id: T1
                name: Tenant one
            %s
                scopes:
                  - { name: mcp.tools, kind: delegated }
                  - { name: obo.read, kind: on-behalf-of }
                  - { name: app.read, kind: application }
            """;
    private static final String FULL = """
                resources: [ "https://mcp.example.com/mcp", "http://127.0.0.1:3000/mcp" ]
                client_id_metadata_documents: { enabled: false, allowed_hosts: [ Claude.AI, vscode.dev ] }
                dynamic_registration: { enabled: true, initial_access_token: "%s", scopes: [ mcp.tools ] }
                require_par: true
                dpop: { nonce: true }""".formatted(TOKEN).indent(4);

    @TempDir
    Path temp;
    private ScratchDatabases databases;

    @AfterEach
    void close() throws Exception {
        if (databases != null) {
            databases.close();
        }
    }

    private static TenantsFile parse(String settings) {
        return TenantsFileParser.parse(BASE.formatted(settings), "t.yaml");
    }

    private static void assertRefused(String settings, String marker, String message) {
        String yaml = BASE.formatted(settings);
        int line = yaml.lines().toList().indexOf(yaml.lines().filter(l -> l.contains(marker)).findFirst().orElseThrow()) + 1;
        assertThatThrownBy(() -> TenantsFileParser.parse(yaml, "t.yaml"))
                .isInstanceOf(TenantsFileException.class)
                .hasMessageStartingWith("t.yaml:" + line + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void withoutTheKeysATenantHasTheDefaults() {
        assertThat(parse("").tenants().get(0).authorization().settings()).isEqualTo(AuthorizationSettings.DEFAULT);
    }

    @Test
    void everySettingIsReadHostNamesLowerCasedAndTheTokenOnlyAsAHash() {
        AuthorizationSettings settings = parse(FULL).tenants().get(0).authorization().settings();
        assertThat(settings.resources()).containsExactly("https://mcp.example.com/mcp", "http://127.0.0.1:3000/mcp");
        assertThat(settings.clientIdMetadataDocuments().enabled()).isFalse();
        assertThat(settings.clientIdMetadataDocuments().allowedHosts()).containsExactly("claude.ai", "vscode.dev");
        assertThat(settings.dynamicRegistration().enabled()).isTrue();
        assertThat(settings.dynamicRegistration().scopes()).containsExactly("mcp.tools");
        assertThat(settings.dynamicRegistration().initialAccessTokenHash()).contains(AuthorizationSettingsSection.hash(TOKEN))
                .get().asString().doesNotContain(TOKEN);
        assertThat(settings.requirePar()).isTrue();
        assertThat(settings.dpopNonce()).isTrue();
    }

    @Test
    void resourcesMustBeAbsoluteHttpsUrlsWithoutFragmentsAndUnique() {
        assertRefused("    resources: [ \"https://mcp.example.com/mcp#tools\" ]", "resources:", "must not have a fragment");
        assertRefused("    resources: [ \"http://mcp.example.com/mcp\" ]", "resources:", "must be https (http only on a loopback host)");
        assertRefused("    resources: [ \"/mcp\" ]", "resources:", "must be an absolute URL with a host");
        assertRefused("    resources: [ \"urn:example:mcp\" ]", "resources:", "must be an absolute URL with a host");
        assertRefused("    resources: [ \"https://user:pw@mcp.example.com/\" ]", "resources:", "user name or password");
        assertRefused("    resources: [ \"https://a.example/\", \"https://a.example/\" ]", "resources:", "duplicate resource");
        assertRefused("    resources: [ \"https://a.example/" + "x".repeat(2048) + "\" ]", "resources:", "longer than 2048");
        StringBuilder many = new StringBuilder("    resources: [ ");
        for (int i = 0; i <= AuthorizationSettingsSection.MAX_RESOURCES; i++) {
            many.append(i == 0 ? "" : ", ").append("\"https://r").append(i).append(".example/\"");
        }
        assertRefused(many.append(" ]").toString(), "resources:", "at most 50 resources");
    }

    @Test
    void metadataDocumentHostsMustBeHostNames() {
        assertRefused("    client_id_metadata_documents: { allowed_hosts: [ \"https://claude.ai\" ] }", "allowed_hosts",
                "is not a host name");
        assertRefused("    client_id_metadata_documents: { enabled: yes-please }", "enabled", "true or false");
        assertRefused("    client_id_metadata_documents: { trusted: [] }", "trusted", "unknown key 'trusted'");
    }

    @Test
    void registrationOffersOnlyDelegatedScopesTheTenantDefinesAndATokenOfAtLeast32Characters() {
        assertRefused("    dynamic_registration: { enabled: true, scopes: [ obo.read ] }", "dynamic_registration",
                "is on-behalf-of: registered clients may only get delegated scopes");
        assertRefused("    dynamic_registration: { enabled: true, scopes: [ app.read ] }", "dynamic_registration",
                "is application: registered clients may only get delegated scopes");
        assertRefused("    dynamic_registration: { enabled: true, scopes: [ nope ] }", "dynamic_registration",
                "does not define under scopes:");
        assertRefused("    dynamic_registration: { enabled: true, scopes: [ portcullis.admin ] }", "dynamic_registration",
                "cannot offer the built-in scope portcullis.admin");
        assertRefused("    dynamic_registration: { enabled: true, initial_access_token: short }", "dynamic_registration",
                "initial_access_token must be 32-512 characters");
        assertRefused("    dpop: { nonce: maybe }", "dpop", "true or false");
        assertRefused("    require_par: 1", "require_par", "true or false");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theSettingsAreStoredAndAFileWithoutTheTokenKeepsItWhileNullRemovesIt(StoreKind store) {
        databases = new ScratchDatabases(temp);
        Database database = databases.open(store);
        TenantsFileApplier applier = new TenantsFileApplier(database.sql(), TestServer.secretHasher(), Clock.systemUTC());
        applier.apply(parse(FULL));
        AuthorizationSettings stored = new TenantRepository(database.sql()).find("T1").orElseThrow().authorization();
        assertThat(stored).isEqualTo(parse(FULL).tenants().get(0).authorization().settings());
        assertThat(applier.apply(parse(FULL)).changes()).isZero();

        String withoutToken = FULL.replace("initial_access_token: \"" + TOKEN + "\", ", "");
        applier.apply(parse(withoutToken));
        assertThat(new TenantRepository(database.sql()).find("T1").orElseThrow().authorization().dynamicRegistration()
                .initialAccessTokenHash()).contains(AuthorizationSettingsSection.hash(TOKEN));

        TenantsFileApplier.Result removed = applier.apply(parse(FULL.replace("\"" + TOKEN + "\"", "null")));
        assertThat(removed.changes()).isEqualTo(1);
        AuthorizationSettings open = new TenantRepository(database.sql()).find("T1").orElseThrow().authorization();
        assertThat(open.dynamicRegistration().initialAccessTokenHash()).isEqualTo(Optional.empty());
        assertThat(open.resources()).hasSize(2);

        applier.apply(parse(""));
        assertThat(new TenantRepository(database.sql()).find("T1").orElseThrow().authorization())
                .as("a tenant whose file leaves the keys out goes back to the defaults").isEqualTo(AuthorizationSettings.DEFAULT);
    }
}
