package dev.portcullis.cimd;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientLookup;
import dev.portcullis.client.ConsentMode;
import dev.portcullis.client.Platform;
import dev.portcullis.client.ResolvedClients;
import dev.portcullis.tenant.AuthorizationSettings.MetadataDocuments;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantDirectory;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document; the MCP authorization specification's
 * preferred registration): a client_id that is an https URL names the client's own metadata, which is fetched
 * ({@link DocumentFetcher}), kept ({@link DocumentCache}) and made into an ordinary {@link ClientApplication}, so
 * authorize, login, consent, code and refresh treat it exactly as a registered client. What it becomes:
 *
 * <ul>
 * <li>a public client of the native platform. Native rules (RFC 8252) fit a client nobody vetted: a loopback
 * redirect must be the IP literal (never {@code localhost}, which may resolve elsewhere) and is accepted on any
 * port, as desktop and command-line clients need; and a consent given for a loopback or private-use-scheme redirect
 * is never reused, since any program on the device can receive those. Https redirects match exactly, as for a
 * single-page app. Being public, it has no secret and must use PKCE (S256);</li>
 * <li>offered the tenant's delegated scopes only (narrowed to the document's {@code scope} when it has one), never
 * application or on-behalf-of ones, which need a confidential client, nor the built-in admin scope;</li>
 * <li>asked for consent ({@code consent: required}), with its host name shown on the consent page;</li>
 * <li>no longer a client once the tenant turns documents off or leaves its host off the allow-list: both are
 * checked on every lookup, before the cache, so neither waits for a cached document to expire.</li>
 * </ul>
 */
public final class MetadataDocumentClients implements ResolvedClients {

    private final TenantDirectory tenants;
    private final DocumentCache documents;

    /** @param allowLoopback let documents be fetched from loopback addresses (tests and single-machine development) */
    public MetadataDocumentClients(TenantDirectory tenants, boolean allowLoopback, Clock clock) {
        this(tenants, new DocumentFetcher(allowLoopback, clock));
    }

    MetadataDocumentClients(TenantDirectory tenants, DocumentFetcher fetcher) {
        this.tenants = tenants;
        this.documents = new DocumentCache(fetcher);
    }

    /** Stored client ids are letters, digits and {@code ._~-}; anything with ':' or '/' is meant as a URL. */
    @Override
    public boolean claims(String clientId) {
        return clientId.indexOf(':') >= 0 || clientId.indexOf('/') >= 0;
    }

    @Override
    public ClientLookup resolve(String tenantId, String clientId) {
        Optional<Tenant> found = tenants.find(tenantId);
        if (found.isEmpty()) {
            return ClientLookup.UNKNOWN;
        }
        Tenant tenant = found.get();
        MetadataDocuments settings = tenant.authorization().clientIdMetadataDocuments();
        if (!settings.enabled()) {
            return ClientLookup.refused("unknown client_id '" + clientId + "': tenant " + tenantId
                    + " does not accept client ID metadata documents, and no client is registered with that id");
        }
        ClientIdUrl url;
        try {
            url = ClientIdUrl.parse(clientId);
        } catch (ClientIdUrl.InvalidClientIdUrl e) {
            return ClientLookup.refused("client_id '" + clientId + "' is not a usable client ID metadata document URL: "
                    + e.getMessage());
        }
        if (!settings.allows(url.host())) {
            return ClientLookup.refused("client_id '" + clientId + "' is refused: tenant " + tenantId
                    + " accepts client ID metadata documents only from the hosts it lists, and " + url.host() + " is not one");
        }
        DocumentFetcher.Outcome outcome = documents.get(url);
        if (outcome instanceof DocumentFetcher.Outcome.Failed failed) {
            return ClientLookup.refused("client_id '" + clientId + "' cannot be used: its metadata document " + failed.reason());
        }
        return ClientLookup.found(client(tenant, url, ((DocumentFetcher.Outcome.Fetched) outcome).document()));
    }

    static ClientApplication client(Tenant tenant, ClientIdUrl url, MetadataDocument document) {
        Set<String> scopes = tenant.scopes().values().stream()
                .filter(scope -> scope.kind() == ScopeKind.DELEGATED)
                .map(ScopeDefinition::name)
                .filter(name -> !BuiltInScopes.isBuiltIn(name))
                .filter(name -> document.scope().map(asked -> asked.contains(name)).orElse(true))
                .collect(Collectors.toUnmodifiableSet());
        return new ClientApplication(tenant.id(), url.value(), document.clientName().orElse(url.host()),
                Optional.of("Described by its client ID metadata document at " + url.value()), Platform.NATIVE, scopes,
                document.redirectUris(), List.of(), OptionalInt.empty(), true, ConsentMode.REQUIRED, true, false,
                document.postLogoutRedirectUris(), Optional.empty(), false, Set.of());
    }
}
