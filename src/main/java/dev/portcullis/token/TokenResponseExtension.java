package dev.portcullis.token;

import java.util.Map;

/**
 * Adds parameters to a successful token response, after the access token is signed: OpenID Connect
 * adds {@code id_token} to the responses of sign-ins that asked for it. Extensions come from the
 * features, so the token endpoint knows nothing of what they add.
 */
@FunctionalInterface
public interface TokenResponseExtension {

    /** The parameters to add for {@code grant}, whose access token is {@code token}; empty for none. */
    Map<String, Object> parameters(TokenGrant grant, IssuedToken token);
}
