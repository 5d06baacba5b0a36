package dev.portcullis.protocol;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** A space-separated scope parameter (RFC 6749 section 3.3), in request order without duplicates. */
public record ScopeSet(Set<String> names) {

    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    public ScopeSet {
        names = Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    public static ScopeSet parse(String parameter) {
        Set<String> names = new LinkedHashSet<>();
        for (String token : parameter.trim().split(" +")) {
            if (token.isEmpty()) {
                continue;
            }
            if (!SCOPE_TOKEN.matcher(token).matches()) {
                throw OAuthException.invalidScope("scope '" + token + "' has characters a scope cannot contain; "
                        + "separate scopes with single spaces");
            }
            names.add(token);
        }
        if (names.isEmpty()) {
            throw OAuthException.invalidRequest("missing required parameter 'scope'");
        }
        return new ScopeSet(names);
    }

    public String toParameter() {
        return String.join(" ", names);
    }
}
