package dev.portcullis.exchange;

import dev.portcullis.net.NetworkAddresses;
import dev.portcullis.tenant.RealmType;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What makes an identity-provider registration valid, shared by the tenants file and the CLI so
 * both refuse the same things with the same words.
 */
public final class RegistrationRules {

    private static final Pattern REGISTRATION_ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
    static final int LONGEST_URL = 2048;
    static final int LONGEST_NAME = 255;

    private RegistrationRules() {
    }

    public static String newRegistrationId() {
        return UUID.randomUUID().toString();
    }

    public static Optional<String> registrationIdProblem(String id) {
        return REGISTRATION_ID.matcher(id).matches() ? Optional.empty()
                : Optional.of("registration_id '" + id + "' must be 1-128 letters, digits, '.', '_', '~' or '-'");
    }

    public static Optional<String> nameProblem(String name) {
        return name.isBlank() || name.length() > LONGEST_NAME
                ? Optional.of("name must be 1-" + LONGEST_NAME + " characters") : Optional.empty();
    }

    /**
     * An issuer or jwks_uri: an absolute https URL, or http on a loopback host for development (the
     * fetcher applies the same rule to the addresses it actually connects to).
     */
    public static Optional<String> urlProblem(String key, String value) {
        if (value.length() > LONGEST_URL) {
            return Optional.of(key + " may have at most " + LONGEST_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return Optional.of(key + " '" + value + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            return Optional.of(key + " '" + value + "' must be an absolute URL with a host, without user info or fragment");
        }
        if (scheme.equals("https")) {
            return Optional.empty();
        }
        if (scheme.equals("http") && NetworkAddresses.isLoopbackHost(uri.getHost())) {
            return Optional.empty();
        }
        return Optional.of(key + " '" + value + "' must use https (http only on a loopback host, for development)");
    }

    public static Optional<String> audiencesProblem(List<String> audiences) {
        if (audiences.isEmpty()) {
            return Optional.of("audiences must list at least one accepted audience (the 'aud' the provider puts in its tokens)");
        }
        for (String audience : audiences) {
            if (audience.isBlank() || audience.length() > LONGEST_URL) {
                return Optional.of("each audience must be 1-" + LONGEST_URL + " characters");
            }
        }
        return Optional.empty();
    }

    public static Optional<String> algorithmsProblem(List<String> algorithms) {
        if (algorithms.isEmpty()) {
            return Optional.of("algorithms must not be empty (default: " + String.join(", ", IdentityProvider.DEFAULT_ALGORITHMS) + ")");
        }
        List<String> refused = new ArrayList<>();
        for (String algorithm : algorithms) {
            if (!IdentityProvider.ACCEPTABLE_ALGORITHMS.contains(algorithm)) {
                refused.add(algorithm);
            }
        }
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("algorithm(s) " + String.join(", ", refused) + " cannot be accepted: 'none' and HMAC (HS256...) "
                + "are never allowed; use RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA");
    }

    public static Optional<String> userClaimProblem(String claim, RealmType realm) {
        Optional<UserClaim> parsed = UserClaim.fromClaim(claim);
        if (parsed.isEmpty()) {
            return Optional.of("user_claim must be email, preferred_username or sub, not '" + claim + "'");
        }
        if (!parsed.get().appliesTo(realm)) {
            return Optional.of("user_claim preferred_username matches usernames, which customers (realm C) do not have; "
                    + "use email or sub");
        }
        return Optional.empty();
    }

    public static Optional<RealmType> realm(String label) {
        return RealmType.fromSuffix(label);
    }
}
