package dev.portcullis.admin.api;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.portcullis.Core;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.identity.AdminRole;
import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.identity.SubjectRoles;
import dev.portcullis.resourceserver.AccessRule;
import dev.portcullis.resourceserver.AccessToken;
import dev.portcullis.resourceserver.ActorType;
import dev.portcullis.resourceserver.Decision;
import dev.portcullis.resourceserver.ResourceServer;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.Tenant;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Admits admin API calls with Portcullis' own access tokens, checked by the resource-server library as any
 * other API would check them (keys read in process rather than fetched), then by what only the server
 * knows: the token is not revoked, its client is enabled, and a user holds an administrator role now,
 * not merely when the token was issued.
 */
final class AdminAuthentication {

    private static final String PARTITION_ADMIN = AdminRole.PARTITION_ADMIN.label();
    private static final String SYSTEM_ADMIN = AdminRole.SYSTEM_ADMIN.label();
    /** The built-in delegated scope of Partition Administrators signing in, and the application scope of automation. */
    static final String ADMIN_SCOPE = BuiltInScopes.ADMIN;
    static final String ADMIN_API_SCOPE = BuiltInScopes.ADMIN_API;
    private static final AccessRule RULE = AccessRule.allow(ActorType.USER, ADMIN_SCOPE).and(ActorType.CLIENT_APP, ADMIN_API_SCOPE);
    /** The issuers whose keys are kept at once; more tenants than this only cost a key-set read from the cache. */
    private static final int MAX_CACHED_ISSUERS = 1_000;

    private final Core core;
    private final String issuerPrefix;
    private final ResourceServer tokens;

    AdminAuthentication(Core core) {
        this.core = core;
        this.issuerPrefix = core.publicUrl() + "/system/auth/";
        this.tokens = ResourceServer.builder()
                .trustIssuers(issuer -> realm(issuer).isPresent(), MAX_CACHED_ISSUERS)
                .keySource(this::keysOf)
                .audience(core.config().apiUrl())
                .realm("portcullis-admin")
                .acceptTypJwt()
                .clock(core.clock())
                .build();
    }

    /** An enabled tenant's realm named by an issuer URL of this server. */
    private Optional<Realm> realm(String issuer) {
        if (!issuer.startsWith(issuerPrefix)) {
            return Optional.empty();
        }
        return core.tenants().realm(issuer.substring(issuerPrefix.length())).filter(realm -> realm.tenant().enabled());
    }

    private JWKSource<SecurityContext> keysOf(String issuer) {
        String tenantId = Realm.parse(issuer.substring(issuerPrefix.length())).orElseThrow().tenantId();
        return (selector, context) -> selector.select(core.keys().accessTokenVerificationKeys(tenantId));
    }

    /** The caller, or a problem carrying the RFC 6750 challenge to answer with. */
    AdminCaller authenticate(String authorizationHeader) {
        Decision decision = tokens.authorize(authorizationHeader, RULE);
        if (decision instanceof Decision.Refused refused) {
            throw refusal(refused);
        }
        AccessToken token = ((Decision.Allowed) decision).token();
        Realm realm = realm(token.issuer()).orElseThrow(() -> unauthorized("the token's tenant is disabled"));
        Tenant tenant = realm.tenant();
        String jti = token.claims().getJWTID();
        if (core.accessTokens().isRevoked(jti)) {
            throw unauthorized("the token has been revoked");
        }
        Optional<ClientApplication> client = core.clients().find(tenant.id(), token.clientId());
        if (client.isEmpty() || !client.get().enabled()) {
            throw unauthorized("the token's client is unknown or disabled");
        }
        boolean systemTenant = AdminCaller.SYSTEM_TENANT.equals(tenant.id());
        if (token.actorType() == ActorType.CLIENT_APP) {
            return new AdminCaller(tenant.id(), token.subject(), token.clientId(), token.actorType().claim(), systemTenant);
        }
        if (realm.type() != RealmType.USER) {
            throw forbidden("administrators are users of a tenant's -U realm");
        }
        boolean enabled = core.subjects().find(new SubjectLookup(tenant.id(), RealmType.USER, SubjectLookup.By.USER_ID,
                token.subject())).map(subject -> subject.enabled()).orElse(false);
        if (!enabled) {
            throw unauthorized("the token's user is unknown or disabled");
        }
        Set<String> roles = roles(tenant.id(), token.subject());
        if (systemTenant && roles.contains(SYSTEM_ADMIN)) {
            return new AdminCaller(tenant.id(), token.subject(), token.clientId(), token.actorType().claim(), true);
        }
        if (roles.contains(PARTITION_ADMIN)) {
            return new AdminCaller(tenant.id(), token.subject(), token.clientId(), token.actorType().claim(), false);
        }
        throw forbidden("user " + token.subject() + " of tenant " + tenant.id() + " has no role "
                + (systemTenant ? SYSTEM_ADMIN : PARTITION_ADMIN));
    }

    /** Read on every call, so taking a role away (or disabling the user) takes effect at once. */
    private Set<String> roles(String tenantId, String subjectId) {
        return SubjectRoles.roles(core.sql(), tenantId, subjectId);
    }

    private static Problem refusal(Decision.Refused refused) {
        Problem.Type type = switch (refused.status()) {
            case 400 -> Problem.Type.INVALID_REQUEST;
            case 403 -> Problem.Type.FORBIDDEN;
            case 503 -> Problem.Type.UNAVAILABLE;
            default -> Problem.Type.UNAUTHORIZED;
        };
        Map<String, Object> json = parse(refused.jsonBody());
        Problem problem = Problem.of(type, String.valueOf(json.getOrDefault("error_description", "an access token is needed")));
        Object error = json.get("error");
        if (error != null) {
            problem.with("error", error);
        }
        return problem.withHeaders(refused.headers());
    }

    private static Map<String, Object> parse(String json) {
        try {
            return com.nimbusds.jose.util.JSONObjectUtils.parse(json);
        } catch (java.text.ParseException e) {
            return Map.of();
        }
    }

    private static Problem unauthorized(String description) {
        return Problem.of(Problem.Type.UNAUTHORIZED, description).with("error", "invalid_token")
                .withHeaders(Map.of("WWW-Authenticate", "Bearer realm=\"portcullis-admin\", error=\"invalid_token\", "
                        + "error_description=\"" + description + "\""));
    }

    private static Problem forbidden(String description) {
        return Problem.of(Problem.Type.FORBIDDEN, description);
    }
}
