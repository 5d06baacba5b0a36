package dev.portcullis.grant;

import dev.portcullis.protocol.FormParameters;
import dev.portcullis.protocol.ScopeSet;

import java.util.LinkedHashMap;
import java.util.Map;

/** A client_credentials token request: the client acts for itself with application scopes. */
public record ClientCredentialsRequest(ScopeSet scope) {

    public static final String GRANT_TYPE = "client_credentials";

    public static ClientCredentialsRequest parse(FormParameters form) {
        return new ClientCredentialsRequest(ScopeSet.parse(form.require("scope")));
    }

    public Map<String, String> toParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("grant_type", GRANT_TYPE);
        parameters.put("scope", scope.toParameter());
        return parameters;
    }
}
