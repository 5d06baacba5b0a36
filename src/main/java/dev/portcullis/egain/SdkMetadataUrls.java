package dev.portcullis.egain;

/**
 * The URLs of eGain's {@code /core/authmgr/v3} surface. eGain serves it on its API domain, so they
 * are built from {@code api_url}; the realm URLs they point to are built from {@code public_url}.
 */
public final class SdkMetadataUrls {

    /** The placeholder eGain's ai-agent-sdk replaces with the tenant id. */
    public static final String DOMAIN_NAME = "<DOMAIN_NAME>";

    static final String ANONYMOUS_TOKEN_PATH = "/core/authmgr/v3/oauth2/v2.0/anonymous/token";
    static final String TENANT_METADATA_PATH = "/core/authmgr/v3/metadata/tenant/";
    static final String DEPLOYMENT_METADATA_PATH = "/core/authmgr/v3/metadata/deployment";

    private SdkMetadataUrls() {
    }

    /** The tenant's SDK metadata document (eGain's console calls it the Metadata URL). */
    public static String tenantMetadata(String apiUrl, String tenantId) {
        return apiUrl + TENANT_METADATA_PATH + tenantId;
    }

    public static String deploymentMetadata(String apiUrl) {
        return apiUrl + DEPLOYMENT_METADATA_PATH;
    }

    /** The anonymous customer token URL for a tenant id, or for {@link #DOMAIN_NAME} as the SDK expects it. */
    public static String anonymousToken(String apiUrl, String tenantId) {
        return apiUrl + ANONYMOUS_TOKEN_PATH + "?user_type=customer&domain_hint=" + tenantId;
    }

    /** {@code {public_url}/system/auth/{realmId}/oauth2/authorize}; realmId may hold {@link #DOMAIN_NAME}. */
    public static String authorize(String publicUrl, String realmId) {
        return publicUrl + "/system/auth/" + realmId + "/oauth2/authorize";
    }

    public static String token(String publicUrl, String realmId) {
        return publicUrl + "/system/auth/" + realmId + "/oauth2/token";
    }
}
