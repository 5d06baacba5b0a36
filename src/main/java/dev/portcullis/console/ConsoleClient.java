package dev.portcullis.console;

import dev.portcullis.client.BuiltInClients;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ConsentMode;
import dev.portcullis.client.Platform;
import dev.portcullis.tenant.BuiltInScopes;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The web console as a client of every tenant: a single-page application signing administrators in on the
 * tenant's -U realm with PKCE, which only returns to this server's own {@code /admin/callback}. It is built
 * from the public URL rather than stored, so it needs no migration, follows a changed public URL, and no
 * tenants file or API call can alter it; its id is reserved ({@link #reservation}).
 */
public final class ConsoleClient implements BuiltInClients {

    public static final String ID = "portcullis-console";
    static final String NAME = "Portcullis web console";
    /** Asked for only where the tenant defines it, so the console gets an ID token to end the realm session with. */
    static final String OPENID_SCOPE = "openid";
    public static final String PATH = "/admin/";
    public static final String CALLBACK_PATH = "/admin/callback";

    private final String publicUrl;

    public ConsoleClient(String publicUrl) {
        this.publicUrl = publicUrl;
    }

    @Override
    public Optional<ClientApplication> find(String tenantId, String clientId) {
        return ID.equals(clientId) ? Optional.of(forTenant(tenantId)) : Optional.empty();
    }

    ClientApplication forTenant(String tenantId) {
        // consent skip: a first-party client, and the administrator signs in to manage this very tenant
        return new ClientApplication(tenantId, ID, NAME, Optional.of("Built in: the administrator console at " + publicUrl + PATH),
                Platform.SPA, Set.of(BuiltInScopes.ADMIN, OPENID_SCOPE), List.of(publicUrl + CALLBACK_PATH), List.of(),
                OptionalInt.empty(), true, ConsentMode.SKIP, true, false, List.of(publicUrl + PATH), Optional.empty(),
                false, Set.of());
    }

    /** Why a tenant may not register a client with this id, if it may not. */
    public static Optional<String> reservation(String clientId) {
        return ID.equals(clientId)
                ? Optional.of("client_id '" + ID + "' is reserved for the built-in web console, which every tenant has")
                : Optional.empty();
    }
}
