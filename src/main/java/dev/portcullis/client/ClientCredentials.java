package dev.portcullis.client;

import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ParameterLimits;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The credentials a token request presents: client_secret_basic (RFC 6749 2.3.1, where id and
 * secret are form-encoded before base64), client_secret_post, or a bare client_id (public client).
 */
public record ClientCredentials(String clientId, Optional<String> secret, Method method) {

    public enum Method {
        CLIENT_SECRET_BASIC("client_secret_basic"),
        CLIENT_SECRET_POST("client_secret_post"),
        NONE("none");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public boolean usedBasic() {
        return method == Method.CLIENT_SECRET_BASIC;
    }

    public static ClientCredentials parse(Optional<String> authorizationHeader, FormParameters form, String realmName) {
        // "Basic" with no credentials is still Basic (servers trim the trailing space of "Basic ")
        Optional<String> basic = authorizationHeader.filter(h -> h.regionMatches(true, 0, "Basic", 0, 5)
                && (h.length() == 5 || h.charAt(5) == ' '));
        if (basic.isPresent()) {
            if (form.has("client_secret")) {
                throw OAuthException.invalidRequest("use one client authentication method: HTTP Basic or client_secret in the body, not both");
            }
            ClientCredentials fromHeader = decodeBasic(basic.get().substring(5).trim(), realmName);
            Optional<String> bodyId = form.get("client_id");
            if (bodyId.isPresent() && !bodyId.get().equals(fromHeader.clientId())) {
                throw OAuthException.invalidRequest("client_id in the body differs from the one in the Authorization header");
            }
            return fromHeader;
        }
        if (authorizationHeader.isPresent()) {
            throw OAuthException.invalidClient("unsupported Authorization scheme for client authentication; use HTTP Basic "
                    + "or client_id and client_secret in the body", true, realmName);
        }
        String clientId = form.get("client_id").orElseThrow(() -> OAuthException.invalidClient(
                "no client authentication: send client_id (and client_secret for web clients) in the body, or use HTTP Basic",
                false, realmName));
        Optional<String> secret = form.get("client_secret");
        return new ClientCredentials(clientId, secret, secret.isPresent() ? Method.CLIENT_SECRET_POST : Method.NONE);
    }

    private static ClientCredentials decodeBasic(String encoded, String realmName) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("the Basic Authorization header is not valid base64", true, realmName);
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw OAuthException.invalidClient("the Basic Authorization header must hold client_id:client_secret", true, realmName);
        }
        try {
            String id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            String secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            if (id.indexOf('\0') >= 0 || secret.indexOf('\0') >= 0) {
                throw OAuthException.invalidClient("the Basic Authorization header contains a NUL character", true, realmName);
            }
            if (secret.isEmpty()) {
                throw OAuthException.invalidClient("the Basic Authorization header has an empty client secret", true, realmName);
            }
            ParameterLimits.check("client_id", id);
            ParameterLimits.check("client_secret", secret);
            return new ClientCredentials(id, Optional.of(secret), Method.CLIENT_SECRET_BASIC);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidClient("the Basic Authorization header has a malformed percent-encoding", true, realmName);
        }
    }
}
