package dev.portcullis.exchange;

import dev.portcullis.grant.ResourceIndicators;
import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.OAuthError;
import dev.portcullis.protocol.OAuthException;
import dev.portcullis.protocol.ScopeSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A token-exchange request (RFC 8693 section 2.1, with eGain's {@code registration_id}): the subject's
 * token and its type, the identity provider that issued it (absent for this realm's own tokens), an
 * optional narrower scope and an optional actor token.
 */
public record TokenExchangeRequest(String subjectToken, String subjectTokenType, Optional<String> registrationId,
                                   Optional<ScopeSet> scope, Optional<String> actorToken, Optional<String> actorTokenType,
                                   Optional<String> resource) {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    public static final String JWT = "urn:ietf:params:oauth:token-type:jwt";
    public static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    static final Set<String> SUBJECT_TOKEN_TYPES = Set.of(ACCESS_TOKEN, JWT, ID_TOKEN);
    static final Set<String> ACTOR_TOKEN_TYPES = Set.of(ACCESS_TOKEN, JWT);

    /**
     * {@code resource} and {@code audience} (RFC 8693 section 2.1) both name what the token is for; here that is one
     * resource (RFC 8707) of the tenant or the api_url, which {@link ResourceIndicators} checks, so they may not differ.
     */
    public static TokenExchangeRequest parse(FormParameters form) {
        String subjectToken = form.require("subject_token");
        String subjectTokenType = form.require("subject_token_type");
        if (!SUBJECT_TOKEN_TYPES.contains(subjectTokenType)) {
            throw OAuthException.invalidRequest("subject_token_type must be " + ACCESS_TOKEN + ", " + JWT + " or " + ID_TOKEN);
        }
        Optional<String> actorToken = form.get("actor_token");
        Optional<String> actorTokenType = form.get("actor_token_type");
        if (actorToken.isPresent() != actorTokenType.isPresent()) {
            throw OAuthException.invalidRequest("actor_token and actor_token_type go together (RFC 8693 section 2.1)");
        }
        if (actorTokenType.isPresent() && !ACTOR_TOKEN_TYPES.contains(actorTokenType.get())) {
            throw OAuthException.invalidRequest("actor_token_type must be " + ACCESS_TOKEN + " or " + JWT);
        }
        form.get("requested_token_type").filter(type -> !type.equals(ACCESS_TOKEN)).ifPresent(type -> {
            throw OAuthException.invalidRequest("requested_token_type may only be " + ACCESS_TOKEN + ": no other token is issued");
        });
        Optional<String> resource = ResourceIndicators.requested(form);
        Optional<String> audience = form.get("audience");
        if (resource.isPresent() && audience.isPresent() && !resource.equals(audience)) {
            throw new OAuthException(OAuthError.INVALID_TARGET, "audience and resource name different targets; a token here has "
                    + "one audience, so send one of them");
        }
        return new TokenExchangeRequest(subjectToken, subjectTokenType, form.get("registration_id"),
                form.get("scope").map(ScopeSet::parse), actorToken, actorTokenType, resource.or(() -> audience));
    }

    public Map<String, String> toParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", GRANT_TYPE);
        parameters.put("subject_token", subjectToken);
        parameters.put("subject_token_type", subjectTokenType);
        registrationId.ifPresent(id -> parameters.put("registration_id", id));
        scope.ifPresent(s -> parameters.put("scope", s.toParameter()));
        actorToken.ifPresent(token -> parameters.put("actor_token", token));
        actorTokenType.ifPresent(type -> parameters.put("actor_token_type", type));
        resource.ifPresent(r -> parameters.put(FormParameters.RESOURCE, r));
        return parameters;
    }
}
