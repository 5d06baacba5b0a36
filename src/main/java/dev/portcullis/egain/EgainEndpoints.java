package dev.portcullis.egain;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.portcullis.Core;
import dev.portcullis.Feature;
import io.javalin.Javalin;

/**
 * eGain's {@code /core/authmgr/v3} surface: the Anonymous Customer token endpoint and the SDK
 * metadata documents. eGain serves these on its API domain; here they share the listener, and the
 * URLs they hand out use {@code api_url} for them and {@code public_url} for the realms.
 */
public final class EgainEndpoints implements Feature {

    private final AnonymousTokenEndpoint anonymousToken;
    private final SdkMetadataEndpoint metadata;

    public EgainEndpoints(Core core) {
        AnonymousCustomerPolicies policies = new AnonymousCustomerPolicies(core.sql(), core.lookups());
        this.anonymousToken = new AnonymousTokenEndpoint(core.tenants(), policies, new AnonymousRateLimits(Ticker.systemTicker()),
                core.clientAddress(), core.issuer(), core.metrics(), core.audit());
        this.metadata = new SdkMetadataEndpoint(core.tenants(), policies, core.publicUrl(), core.config().apiUrl());
    }

    @Override
    public void routes(Javalin app, String realmBase) {
        app.post(SdkMetadataUrls.ANONYMOUS_TOKEN_PATH, anonymousToken::handle);
        app.options(SdkMetadataUrls.ANONYMOUS_TOKEN_PATH, anonymousToken::preflight);
        app.get(SdkMetadataUrls.TENANT_METADATA_PATH + "{tenant}", metadata::tenant);
        app.get(SdkMetadataUrls.DEPLOYMENT_METADATA_PATH, metadata::deployment);
    }
}
