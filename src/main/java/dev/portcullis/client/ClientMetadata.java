package dev.portcullis.client;

import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What eGain's console shows behind a client application's "Metadata" button. The URLs are the
 * user (-U) realm's, as eGain shows one set; the customer realm's differ only in the -C suffix.
 * The authorization URL is left out for a client that can only use grants without a sign-in: a
 * web client with no delegated scope (client credentials, on-behalf-of, token exchange).
 */
public record ClientMetadata(Optional<String> authorizationUrl, String accessTokenUrl, String domainUrl, String metadataUrl) {

    /** eGain's SDK metadata document for a tenant, served on the API domain. */
    public static String sdkMetadataUrl(String apiUrl, String tenantId) {
        return apiUrl + "/core/authmgr/v3/metadata/tenant/" + tenantId;
    }

    public static ClientMetadata of(ClientApplication client, Tenant tenant, String publicUrl, String apiUrl) {
        String issuer = new Realm(tenant, RealmType.USER).issuer(publicUrl);
        boolean signsIn = !client.platform().isConfidential() || client.scopes().stream()
                .map(tenant::scope)
                .flatMap(Optional::stream)
                .map(ScopeDefinition::kind)
                .anyMatch(kind -> kind == ScopeKind.DELEGATED);
        return new ClientMetadata(signsIn ? Optional.of(issuer + "/oauth2/authorize") : Optional.empty(),
                issuer + "/oauth2/token", apiUrl, sdkMetadataUrl(apiUrl, tenant.id()));
    }

    /** The JSON object, with the keys the admin API serves; authorization_url only when there is one. */
    public Map<String, String> toJson() {
        Map<String, String> json = new LinkedHashMap<>();
        authorizationUrl.ifPresent(url -> json.put("authorization_url", url));
        json.put("access_token_url", accessTokenUrl);
        json.put("domain_url", domainUrl);
        json.put("metadata_url", metadataUrl);
        return json;
    }
}
