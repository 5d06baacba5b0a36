package dev.portcullis.egain;

import dev.portcullis.observe.AuditLog;
import dev.portcullis.observe.TokenMetrics;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ParameterLimits;
import dev.portcullis.protocol.ScopeSet;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.token.AccessTokenIssuer;
import dev.portcullis.token.IssuedToken;
import dev.portcullis.token.TokenGrant;
import dev.portcullis.web.ClientAddress;
import dev.portcullis.web.FormBodies;
import dev.portcullis.web.JsonResponses;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /core/authmgr/v3/oauth2/v2.0/anonymous/token?user_type=customer&domain_hint={TENANT}}:
 * a token for a visitor nobody signed in, from the tenant's customer realm. It authenticates no
 * client: eGain's ai-agent-sdk sends the literal placeholders {@code clientId} and
 * {@code clientSecret}, so {@code client_id} and {@code client_secret} are only held to their length
 * limits. What protects it is the tenant's opt-in, its short scope list and the rate limits.
 */
final class AnonymousTokenEndpoint {

    static final String GRANT = "anonymous_customer";

    private final TenantDirectory tenants;
    private final AnonymousCustomerPolicies policies;
    private final AnonymousRateLimits limits;
    private final ClientAddress clientAddress;
    private final AccessTokenIssuer issuer;
    private final TokenMetrics metrics;
    private final AuditLog audit;

    AnonymousTokenEndpoint(TenantDirectory tenants, AnonymousCustomerPolicies policies, AnonymousRateLimits limits,
                           ClientAddress clientAddress, AccessTokenIssuer issuer, TokenMetrics metrics, AuditLog audit) {
        this.tenants = tenants;
        this.policies = policies;
        this.limits = limits;
        this.clientAddress = clientAddress;
        this.issuer = issuer;
        this.metrics = metrics;
        this.audit = audit;
    }

    void handle(Context ctx) {
        long start = System.nanoTime();
        String outcome = "error";
        // the SDK runs in the visitor's browser on the tenant's own site; nothing here is private to an origin
        ctx.header("Access-Control-Allow-Origin", "*");
        try {
            String userType = query(ctx, "user_type");
            if (!userType.equals("customer")) {
                throw OAuthException.invalidRequest("user_type must be 'customer' (anonymous tokens are for customers), not '"
                        + userType + "'");
            }
            Tenant tenant = tenant(query(ctx, "domain_hint"));
            AnonymousCustomerPolicy policy = policies.find(tenant.id()).filter(AnonymousCustomerPolicy::enabled)
                    .orElseThrow(() -> OAuthException.unauthorizedClient("tenant " + tenant.id()
                            + " does not allow anonymous customers (its settings have no enabled anonymous_customers)"));
            String address = clientAddress.of(ctx);
            Optional<AnonymousRateLimits.Wait> wait = limits.take(tenant.id(), ClientAddress.throttleKey(address), policy);
            if (wait.isPresent()) {
                refuseTooMany(ctx, tenant, wait.get());
                return;
            }
            FormParameters form = FormBodies.read(ctx);
            String grantType = form.require("grant_type");
            if (!grantType.equals("client_credentials")) {
                throw new OAuthException(OAuthError.UNSUPPORTED_GRANT_TYPE, "the anonymous customer endpoint takes "
                        + "grant_type=client_credentials, not '" + grantType + "'");
            }
            ScopeSet scopes = scopes(form, tenant, policy);
            Realm realm = new Realm(tenant, RealmType.CUSTOMER);
            String subject = TokenGrant.newAccessTokenId();
            IssuedToken token = issuer.issueAnonymousCustomer(realm, subject, scopes, policy.accessTokenTtl());
            audit.anonymousTokenIssued(realm, AccessTokenIssuer.ANONYMOUS_CLIENT_ID, subject, token, address);
            metrics.issued(GRANT, tenant.id());
            respond(ctx, token);
            outcome = "success";
        } finally {
            metrics.tokenRequest(start, outcome);
        }
    }

    /** CORS preflight; browsers skip it for the SDK's form POST, but a caller adding a header needs it. */
    void preflight(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Access-Control-Allow-Methods", "POST");
        ctx.header("Access-Control-Allow-Headers", "Content-Type, Accept");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    /** A required query parameter, sent once and within its length limit. */
    private static String query(Context ctx, String name) {
        List<String> values;
        try {
            values = ctx.queryParams(name);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("the query string is not validly percent-encoded");
        }
        if (values.size() > 1) {
            throw OAuthException.invalidRequest("query parameter '" + name + "' is repeated; send it once");
        }
        String value = values.isEmpty() ? "" : values.get(0).trim();
        ParameterLimits.check(name, value);
        if (value.isEmpty()) {
            throw OAuthException.invalidRequest("missing required query parameter '" + name + "'"
                    + (name.equals("domain_hint") ? " (the tenant id)" : " (user_type=customer)"));
        }
        return value;
    }

    private Tenant tenant(String tenantId) {
        Tenant tenant = tenants.find(tenantId).orElseThrow(() -> OAuthException.invalidRequest(
                "domain_hint '" + tenantId + "' names no tenant"));
        if (!tenant.enabled()) {
            throw OAuthException.unauthorizedClient("tenant " + tenant.id() + " is disabled");
        }
        return tenant;
    }

    /**
     * The requested scopes, each one the policy allows and the tenant still defines as delegated;
     * no scope at all asks for everything the policy allows (the SDK sends {@code scope=} when its
     * integrator configured none).
     */
    private static ScopeSet scopes(FormParameters form, Tenant tenant, AnonymousCustomerPolicy policy) {
        List<String> allowed = policy.scopes().stream()
                .filter(name -> tenant.scope(name).filter(s -> s.kind() == ScopeKind.DELEGATED).isPresent())
                .toList();
        if (form.get("scope").isEmpty()) {
            if (allowed.isEmpty()) {
                throw OAuthException.invalidScope("tenant " + tenant.id() + " allows anonymous customers no scope it defines");
            }
            return new ScopeSet(new LinkedHashSet<>(allowed));
        }
        ScopeSet requested = ScopeSet.parse(form.get("scope").get());
        for (String name : requested.names()) {
            if (!allowed.contains(name)) {
                throw OAuthException.invalidScope("anonymous customers of tenant " + tenant.id() + " may not get scope '"
                        + name + "'; allowed: " + (allowed.isEmpty() ? "(none)" : String.join(" ", allowed)));
            }
        }
        return requested;
    }

    /**
     * 429 with Retry-After. RFC 6749 has no error code for a rate limit; temporarily_unavailable says
     * "try again later", which is what the status, the header and the description spell out.
     */
    private void refuseTooMany(Context ctx, Tenant tenant, AnonymousRateLimits.Wait wait) {
        metrics.error(OAuthError.TEMPORARILY_UNAVAILABLE.code());
        JsonResponses.noStore(ctx);
        ctx.header("Retry-After", String.valueOf(wait.seconds()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", OAuthError.TEMPORARILY_UNAVAILABLE.code());
        body.put("error_description", (wait.perAddress()
                ? "too many anonymous token requests for tenant " + tenant.id() + " from this address"
                : "too many anonymous token requests for tenant " + tenant.id() + " from all addresses together")
                + "; try again in " + wait.seconds() + " seconds");
        JsonResponses.write(ctx, 429, body);
    }

    private static void respond(Context ctx, IssuedToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("token_type", "Bearer");
        body.put("expires_in", token.expiresIn());
        body.put("scope", token.scope());
        JsonResponses.noStore(ctx);
        JsonResponses.write(ctx, 200, body);
    }
}
