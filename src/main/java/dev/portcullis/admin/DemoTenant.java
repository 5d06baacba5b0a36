package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.admin.TenantsFile.TenantSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The demo tenant from examples/demo-tenants.yaml, and the On-Behalf-Of curl that proves it works. */
public final class DemoTenant {

    static final String RESOURCE = "/examples/demo-tenants.yaml";

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
