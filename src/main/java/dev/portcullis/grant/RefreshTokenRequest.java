package dev.portcullis.grant;

import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.ScopeSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A refresh_token token request, optionally narrowing the scope, or the resources of the grant to one. */
public record RefreshTokenRequest(String refreshToken, Optional<ScopeSet> scope, Optional<String> resource) {

    public static final String GRANT_TYPE = "refresh_token";

    public static RefreshTokenRequest parse(FormParameters form) {
        return new RefreshTokenRequest(form.require("refresh_token"), form.get("scope").map(ScopeSet::parse),
                ResourceIndicators.requested(form));
    }

    public Map<String, String> toParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", GRANT_TYPE);
        parameters.put("refresh_token", refreshToken);
        scope.ifPresent(s -> parameters.put("scope", s.toParameter()));
        resource.ifPresent(r -> parameters.put(FormParameters.RESOURCE, r));
        return parameters;
    }
}
