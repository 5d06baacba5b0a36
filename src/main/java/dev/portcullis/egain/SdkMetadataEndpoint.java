package dev.portcullis.egain;

import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ParameterLimits;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.web.JsonResponses;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata documents eGain's ai-agent-sdk reads before it asks for a token:
 * {@code GET /core/authmgr/v3/metadata/tenant/{TENANT}} and, for a visitor whose tenant the page
 * names only later, {@code GET /core/authmgr/v3/metadata/deployment}. Only the fields the SDK reads
 * are served: {@code authenticationDetails} with each actor's URLs and the scope prefix. eGain's
 * Azure B2C fields ({@code idpPolicies}, {@code apiMetadata}) describe a login service this is not.
 */
final class SdkMetadataEndpoint {

    /** Metadata changes only when a tenant does; five minutes is what the SDK caches it for too. */
    private static final String CACHE_CONTROL = "public, max-age=300";

    private final TenantDirectory tenants;
    private final AnonymousCustomerPolicies policies;
    private final String publicUrl;
    private final String apiUrl;

    SdkMetadataEndpoint(TenantDirectory tenants, AnonymousCustomerPolicies policies, String publicUrl, String apiUrl) {
        this.tenants = tenants;
        this.policies = policies;
        this.publicUrl = publicUrl;
        this.apiUrl = apiUrl;
    }

    /**
     * A tenant's document: its realms' URLs, and the anonymous token URL with the {@code <DOMAIN_NAME>}
     * placeholder the SDK fills in, or an empty list when the tenant does not allow anonymous customers.
     */
    void tenant(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        String tenantId = ctx.pathParam("tenant");
        Optional<Tenant> tenant = tenantId.length() > ParameterLimits.IDENTIFIER ? Optional.empty()
                : tenants.find(tenantId).filter(Tenant::enabled);
        if (tenant.isEmpty()) {
            throw new OAuthException(OAuthError.NOT_FOUND, "unknown tenant '"
                    + (tenantId.length() > 64 ? tenantId.substring(0, 64) + "..." : tenantId) + "'");
        }
        String id = tenant.get().id();
        boolean anonymous = policies.find(id).filter(AnonymousCustomerPolicy::enabled).isPresent();
        respond(ctx, document(id + "-" + RealmType.USER.suffix(), id + "-" + RealmType.CUSTOMER.suffix(), anonymous));
    }

    /** The deployment document: the same shape, every URL a template with {@code <DOMAIN_NAME>} for the tenant id. */
    void deployment(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        String placeholder = SdkMetadataUrls.DOMAIN_NAME;
        respond(ctx, document(placeholder + "-" + RealmType.USER.suffix(), placeholder + "-" + RealmType.CUSTOMER.suffix(), true));
    }

    private Map<String, Object> document(String userRealm, String customerRealm, boolean anonymous) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("oAuthUser", List.of(realmUrls(userRealm)));
        details.put("oAuthCustomer", List.of(realmUrls(customerRealm)));
        details.put("oAuthAnonymousCustomer", anonymous
                ? List.of(Map.of("accessTokenURL", SdkMetadataUrls.anonymousToken(apiUrl, SdkMetadataUrls.DOMAIN_NAME)))
                : List.of());
        // scopes here are bare names, as on ai.egain.cloud; the SDK prepends this to every scope, so it must be present
        details.put("apiPermissionPrefix", "");
        return Map.of("authenticationDetails", details);
    }

    private Map<String, String> realmUrls(String realmId) {
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("authURL", SdkMetadataUrls.authorize(publicUrl, realmId));
        urls.put("accessTokenURL", SdkMetadataUrls.token(publicUrl, realmId));
        return urls;
    }

    private static void respond(Context ctx, Map<String, Object> document) {
        ctx.header("Cache-Control", CACHE_CONTROL);
        JsonResponses.write(ctx, 200, document);
    }
}
