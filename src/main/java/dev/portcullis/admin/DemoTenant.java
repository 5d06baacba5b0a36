package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.admin.TenantsFile.TenantSpec;

import dev.portcullis.identity.AdminRole;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The demo tenant from examples/demo-tenants.yaml, the On-Behalf-Of curl that proves it works, and its administrator
 * for the web console, whose password is drawn when the tenant is created: unlike the file's, it is published nowhere.
 */
public final class DemoTenant {

    static final String RESOURCE = "/examples/demo-tenants.yaml";
    public static final String ADMIN_USERNAME = "admin";
    static final String ADMIN_ID = "demo-admin";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The created demo: its file (for the curl) and the administrator's password, which only this start knows. */
    public record Created(TenantsFile file, String administratorPassword) {
        public String tenantId() {
            return file.tenants().get(0).id();
        }
    }

    private DemoTenant() {
    }

    public static TenantsFile load() {
        try (InputStream in = DemoTenant.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo tenants file is missing from the build");
            }
            return TenantsFileParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "examples/demo-tenants.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Applies the demo file and adds its Partition Administrator, {@value #ADMIN_USERNAME}, with a fresh password. */
    public static Created create(TenantsFileApplier applier, Sql sql, Clock clock) {
        TenantsFile file = load();
        applier.apply(file);
        byte[] random = new byte[15];
        RANDOM.nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String tenantId = file.tenants().get(0).id();
        sql.inTransaction(tx -> new SpecWriter(tx, clock.instant().getEpochSecond()).subject(tenantId, RealmType.USER,
                new SubjectSpec(ADMIN_ID, Optional.of(ADMIN_USERNAME), Optional.empty(), Optional.of(password), Optional.empty(), true,
                        Set.of(AdminRole.PARTITION_ADMIN.label()))));
        return new Created(file, password);
    }

    /** Where the demo's administrator signs in: the console, which starts the sign-in for the demo tenant. */
    public static String consoleUrl(String publicUrl, String tenantId) {
        return publicUrl + "/admin/?tenant=" + tenantId;
    }

    /** A ready-to-paste OBO request for the first web client holding an on-behalf-of scope and a secret. */
    public static Optional<String> oboCurl(TenantsFile file, String publicUrl) {
        for (TenantSpec tenant : file.tenants()) {
            Set<String> oboScopes = tenant.scopes().stream().filter(s -> s.kind().equals("on-behalf-of"))
                    .map(TenantsFile.ScopeSpec::name).collect(Collectors.toSet());
            Optional<SubjectSpec> user = tenant.users().stream().filter(SubjectSpec::enabled).findFirst();
            for (ClientSpec client : tenant.clients()) {
                Optional<String> scope = client.scopes().stream().filter(oboScopes::contains).findFirst();
                Optional<String> secret = client.secrets().flatMap(s -> s.stream().findFirst()).map(TenantsFile.SecretSpec::value);
                if (client.platform().equals("web") && client.enabled() && scope.isPresent() && secret.isPresent() && user.isPresent()) {
                    return Optional.of("curl --location --request POST '" + publicUrl + "/system/auth/" + tenant.id() + "-U/oauth2/token' \\\n"
                            + "--header 'Content-Type: application/x-www-form-urlencoded' \\\n"
                            + "--data-urlencode 'grant_type=password' \\\n"
                            + "--data-urlencode 'client_id=" + client.clientId() + "' \\\n"
                            + "--data-urlencode 'client_secret=" + secret.get() + "' \\\n"
                            + "--data-urlencode 'scope=" + scope.get() + "' \\\n"
                            + "--data-urlencode 'subject_username=" + user.get().username().orElseThrow() + "'");
                }
            }
        }
        return Optional.empty();
    }
}
