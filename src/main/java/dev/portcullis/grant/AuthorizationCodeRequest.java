package dev.portcullis.grant;

import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An authorization_code token request: the code, the redirect_uri it was sent to, the PKCE verifier, and the resource
 * (of those the authorization request named) the token is for.
 */
public record AuthorizationCodeRequest(String code, String redirectUri, Optional<String> codeVerifier, Optional<String> resource) {

    public static final String GRANT_TYPE = "authorization_code";

    public static AuthorizationCodeRequest parse(FormParameters form) {
        String code = form.require("code");
        String redirectUri = form.require("redirect_uri");
        Optional<String> verifier = form.get("code_verifier");
        if (verifier.isPresent() && !Pkce.isValidVerifier(verifier.get())) {
            throw OAuthException.invalidRequest("code_verifier must be 43-128 characters of A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636)");
        }
        return new AuthorizationCodeRequest(code, redirectUri, verifier, ResourceIndicators.requested(form));
    }

    public Map<String, String> toParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", GRANT_TYPE);
        parameters.put("code", code);
        parameters.put("redirect_uri", redirectUri);
        codeVerifier.ifPresent(v -> parameters.put("code_verifier", v));
        resource.ifPresent(r -> parameters.put(FormParameters.RESOURCE, r));
        return parameters;
    }
}
