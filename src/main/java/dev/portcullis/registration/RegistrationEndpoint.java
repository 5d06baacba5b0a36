package dev.portcullis.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientInformation;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.ratelimit.RateLimited;
import dev.portcullis.ratelimit.RequestRateLimits;
import dev.portcullis.registration.Registrar.Registered;
import dev.portcullis.tenant.AuthorizationSettings.DynamicRegistration;
import dev.portcullis.tenant.Realm;
import dev.portcullis.web.RequestBodies;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantDirectory;
import dev.portcullis.web.JsonResponses;
import io.javalin.http.Context;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code POST {realm}/oauth2/register} (RFC 7591) and {@code GET}, {@code PUT}, {@code DELETE
 * {realm}/oauth2/register/{client_id}} (RFC 7592): route, authenticate (the tenant's initial access token, or the
 * client's registration access token) before reading the body, parse, then let the {@link Registrar} write. Every
 * refusal is an {@link OAuthException}: RFC 7591 error JSON, or a Bearer challenge for a missing or wrong token.
 */
final class RegistrationEndpoint {

    static final int MAX_BODY_BYTES = 16 * 1024;
    static final int MAX_TOKEN_LENGTH = 512;
    /** RFC 7592 section 2.2: the client may not send what the server alone decides. */
    private static final List<String> SERVER_FIELDS = List.of("registration_access_token", "registration_client_uri",
            "client_secret_expires_at", "client_id_issued_at");

    /** How often one client address may register with a tenant, checked before anything else a registration does. */
    interface AddressLimit {
        /** Empty if this registration may go ahead, else the seconds until one may. */
        OptionalLong take(Context ctx, String tenantId);
    }

    private final TenantDirectory tenants;
    private final Registrar registrar;
    private final String publicUrl;
    private final AddressLimit addressLimit;

    RegistrationEndpoint(TenantDirectory tenants, Registrar registrar, String publicUrl, AddressLimit addressLimit) {
        this.tenants = tenants;
        this.registrar = registrar;
        this.publicUrl = publicUrl;
        this.addressLimit = addressLimit;
    }

    void register(Context ctx) {
        cors(ctx);
        Realm realm = realm(ctx);
        Tenant tenant = realm.tenant();
        DynamicRegistration settings = tenant.authorization().dynamicRegistration();
        if (!settings.enabled()) {
            throw new OAuthException(OAuthError.ACCESS_DENIED, "dynamic client registration is off for tenant " + tenant.id()
                    + "; an administrator turns it on with dynamic_registration.enabled");
        }
        addressLimit.take(ctx, tenant.id()).ifPresent(wait -> {
            throw new RateLimited(RequestRateLimits.Kind.REGISTER_PER_ADDRESS, tenant.id(), wait);
        });
        settings.initialAccessTokenHash().ifPresent(hash -> checkInitialAccessToken(ctx, hash, realm));
        ClientRegistration metadata = RegistrationRequest.read(RegistrationRequest.object(body(ctx)), tenant);
        Registrar.Created created = registrar.register(tenant, metadata);
        respond(ctx, 201, realm, created.registered(), Optional.of(created.registrationAccessToken()), created.clientSecret());
    }

    void read(Context ctx) {
        cors(ctx);
        Realm realm = realm(ctx);
        respond(ctx, 200, realm, authorized(ctx, realm), Optional.empty(), Optional.empty());
    }

    void update(Context ctx) {
        cors(ctx);
        Realm realm = realm(ctx);
        Registered current = authorized(ctx, realm);
        ObjectNode json = RegistrationRequest.object(body(ctx));
        for (String field : SERVER_FIELDS) {
            if (json.has(field)) {
                throw OAuthException.invalidRequest(field + " is the server's to set; leave it out of an update (RFC 7592 section 2.2)");
            }
        }
        JsonNode clientId = json.get("client_id");
        if (clientId == null || !clientId.isTextual() || !clientId.asText().equals(current.client().clientId())) {
            throw OAuthException.invalidRequest("an update must hold the client's own client_id (RFC 7592 section 2.2)");
        }
        JsonNode secret = json.get("client_secret");
        if (secret != null && !(secret.isTextual() && registrar.isCurrentSecret(current.client(), secret.asText()))) {
            throw OAuthException.invalidRequest("client_secret is not the client's secret; a client cannot choose its secret, "
                    + "so leave it out");
        }
        Registered updated = registrar.update(realm.tenant(), current, RegistrationRequest.read(json, realm.tenant()));
        respond(ctx, 200, realm, updated, Optional.empty(), Optional.empty());
    }

    void delete(Context ctx) {
        cors(ctx);
        Realm realm = realm(ctx);
        registrar.delete(realm.tenant(), authorized(ctx, realm));
        JsonResponses.noStore(ctx);
        ctx.status(204);
    }

    /**
     * CORS: registration is made by clients, not with a browser's cookies, so any origin may call it (browser-based
     * tools register themselves); what a page can do here, any program can do already.
     */
    void preflight(Context ctx) {
        cors(ctx);
        ctx.header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE");
        ctx.header("Access-Control-Allow-Headers", "Content-Type, Authorization");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    private static void cors(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
    }

    private Registered authorized(Context ctx, Realm realm) {
        return registrar.authorize(realm.tenant(), ctx.pathParam("client_id"), bearer(ctx, realm), issuer(realm));
    }

    /** The tenant's initial access token (RFC 7591 section 3), compared by its SHA-256 in constant time. */
    private void checkInitialAccessToken(Context ctx, String expectedHash, Realm realm) {
        Optional<String> token = bearer(ctx, realm);
        if (token.isEmpty()) {
            throw OAuthException.bearer(OAuthError.INVALID_TOKEN, "tenant " + realm.tenant().id() + " registers clients only "
                    + "with an initial access token: send it as Authorization: Bearer", issuer(realm), false, Optional.empty());
        }
        byte[] presented = Base64.getUrlEncoder().withoutPadding().encodeToString(SecretHasher.hash(token.get()))
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(presented, expectedHash.getBytes(StandardCharsets.US_ASCII))) {
            throw OAuthException.bearer(OAuthError.INVALID_TOKEN, "the initial access token is not valid", issuer(realm), true,
                    Optional.empty());
        }
    }

    /** A Bearer token of the Authorization header (RFC 6750 section 2.1); another scheme counts as none. */
    private Optional<String> bearer(Context ctx, Realm realm) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = header.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw OAuthException.bearer(OAuthError.INVALID_TOKEN, "the Bearer token is malformed", issuer(realm), true,
                    Optional.empty());
        }
        return Optional.of(token);
    }

    /** The JSON body, at most {@link #MAX_BODY_BYTES}. */
    private static byte[] body(Context ctx) {
        return RequestBodies.read(ctx, "application/json", MAX_BODY_BYTES);
    }

    /** The client information response (RFC 7591 section 3.2.1), written by Nimbus' {@link ClientInformation}. */
    private void respond(Context ctx, int status, Realm realm, Registered registered, Optional<String> token,
                         Optional<String> secret) {
        String clientId = registered.client().clientId();
        ClientInformation information = new ClientInformation(new ClientID(clientId),
                new Date(registered.registration().registeredAt() * 1000), registered.metadata().metadata(),
                secret.map(Secret::new).orElse(null), URI.create(issuer(realm) + "/oauth2/register/" + clientId),
                token.map(BearerAccessToken::new).orElse(null));
        JsonResponses.noStore(ctx);
        JsonResponses.write(ctx, status, information.toJSONObject());
    }

    private Realm realm(Context ctx) {
        String realmId = ctx.pathParam("realm");
        return tenants.realm(realmId).orElseThrow(() -> new OAuthException(OAuthError.NOT_FOUND, "unknown realm '" + realmId
                + "': realm paths are /system/auth/{TENANT}-U (users) or /system/auth/{TENANT}-C (customers)"));
    }

    private String issuer(Realm realm) {
        return realm.issuer(publicUrl);
    }
}
