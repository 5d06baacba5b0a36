package dev.portcullis.admin.api;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.client.ClientSecretHasher;
import io.javalin.Javalin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The admin REST API under {@code /admin/api/v1}: tenants and, per tenant, clients with their secrets and
 * metadata, scopes, users, customers, identity providers, signing keys and audit events. Callers present
 * Portcullis access tokens ({@link AdminAuthentication}); every change is audited ({@link AdminChanges}).
 */
public final class AdminApi implements Feature {

    static final String OPENAPI_RESOURCE = "/admin/openapi.json";

    private final Core core;
    private final AdminChanges changes;
    private final ClientSecretHasher secretHasher;
    private List<AdminRouter.Route> routes = List.of();

    public AdminApi(Core core) {
        this.core = core;
        this.changes = new AdminChanges(core, core.configChanges()::changed);
        this.secretHasher = new ClientSecretHasher(core.masterKey());
    }

    @Override
    public void routes(Javalin app, String realmBase) {
        AdminRouter router = new AdminRouter(app, new AdminAuthentication(core));
        byte[] openApi = openApiDocument();
        router.publicGet("/openapi.json", ctx -> ctx.contentType("application/json").header("Cache-Control", "public, max-age=300")
                .result(openApi));
        new ClientResource(core, changes, secretHasher).mount(router);
        new SecretResource(core, changes, secretHasher).mount(router);
        SubjectResource.mountAll(router, core, changes);
        new TenantResource(core, changes).mount(router);
        new ScopeResource(core, changes).mount(router);
        new IdentityProviderResource(core, changes).mount(router);
        new KeyResource(core, changes).mount(router);
        new AuditEventResource(core).mount(router);
        router.mountFallbacks();
        routes = router.routes();
    }

    /** What this API mounted, for the test that holds the OpenAPI document to it. */
    public List<String> mountedRoutes() {
        return routes.stream().map(route -> route.method().name() + " " + route.path()).toList();
    }

    private static byte[] openApiDocument() {
        try (InputStream in = AdminApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
