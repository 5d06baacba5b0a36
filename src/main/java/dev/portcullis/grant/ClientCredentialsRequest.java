package dev.portcullis.grant;

import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.ScopeSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A client_credentials token request: the client acts for itself with application scopes, for one resource or the api_url. */
public record ClientCredentialsRequest(ScopeSet scope, Optional<String> resource) {

    public static final String GRANT_TYPE = "client_credentials";

    public static ClientCredentialsRequest parse(FormParameters form) {
        return new ClientCredentialsRequest(ScopeSet.parse(form.require("scope")), ResourceIndicators.requested(form));
    }

    public Map<String, String> toParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", GRANT_TYPE);
        parameters.put("scope", scope.toParameter());
        resource.ifPresent(r -> parameters.put(FormParameters.RESOURCE, r));
        return parameters;
    }
}
