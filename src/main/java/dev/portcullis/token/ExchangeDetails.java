package dev.portcullis.token;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a Token Exchange (RFC 8693) adds to a grant: the response's {@code issued_token_type}, the
 * identity provider that vouched for the subject ({@code idp} claim) and the subject's id there (for
 * the audit line only), the {@code act} chain to write, and an expiry the new token may not outlive.
 */
public record ExchangeDetails(
        String issuedTokenType,
        Optional<String> identityProvider,
        Optional<String> externalSubject,
        Optional<Map<String, Object>> actor,
        OptionalLong notAfter) {

    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    public ExchangeDetails {
        actor = actor.map(Map::copyOf);
    }
}
