package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.AuthorizationSpec;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.config.Loopback;
import dev.portcullis.tenant.AuthorizationSettings;
import dev.portcullis.tenant.AuthorizationSettings.DynamicRegistration;
import dev.portcullis.tenant.AuthorizationSettings.MetadataDocuments;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.tenant.ScopeKind;
import org.yaml.snakeyaml.nodes.Node;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tenant's keys for clients it has not registered by hand and for bound tokens: {@code resources} (RFC 8707),
 * {@code client_id_metadata_documents}, {@code dynamic_registration} (RFC 7591), {@code require_par} (RFC 9126) and
 * {@code dpop} (RFC 9449). Read from the tenants file and, through {@link TenantSettingsSection}, from the admin API.
 */
final class AuthorizationSettingsSection {

    static final Set<String> KEYS = Set.of("resources", "client_id_metadata_documents", "dynamic_registration", "require_par", "dpop");
    static final int MAX_RESOURCES = 50;
    static final int MAX_RESOURCE_LENGTH = 2048;
    static final int MAX_HOSTS = 100;
    static final int MAX_INITIAL_ACCESS_TOKEN_LENGTH = 512;
    private static final Set<String> METADATA_DOCUMENT_KEYS = Set.of("enabled", "allowed_hosts");
    private static final Set<String> REGISTRATION_KEYS = Set.of("enabled", "initial_access_token", "scopes");
    private static final Set<String> DPOP_KEYS = Set.of("nonce");
    private static final Pattern HOST = Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private AuthorizationSettingsSection() {
    }

    static AuthorizationSpec read(TenantsFileParser parser, Map<String, Node> fields) {
        List<String> resources = resources(parser, fields);
        MetadataDocuments documents = new MetadataDocuments(true, List.of());
        if (present(fields, "client_id_metadata_documents")) {
            Map<String, Node> d = parser.mapping(fields.get("client_id_metadata_documents"), METADATA_DOCUMENT_KEYS,
                    "client_id_metadata_documents");
            documents = new MetadataDocuments(parser.optionalBoolean(d, "enabled").orElse(true), hosts(parser, d));
        }
        DynamicRegistration registration = new DynamicRegistration(false, Optional.empty(), List.of());
        boolean keepsInitialAccessToken = true;
        if (present(fields, "dynamic_registration")) {
            Map<String, Node> r = parser.mapping(fields.get("dynamic_registration"), REGISTRATION_KEYS, "dynamic_registration");
            keepsInitialAccessToken = !r.containsKey("initial_access_token");
            Optional<String> token = parser.optionalString(r, "initial_access_token");
            if (token.isPresent() && (token.get().length() < SecretHasher.MINIMUM_SECRET_LENGTH
                    || token.get().length() > MAX_INITIAL_ACCESS_TOKEN_LENGTH)) {
                throw parser.error(r.get("initial_access_token"), "initial_access_token must be "
                        + SecretHasher.MINIMUM_SECRET_LENGTH + "-" + MAX_INITIAL_ACCESS_TOKEN_LENGTH + " characters");
            }
            List<String> scopes = new ArrayList<>();
            for (Node scopeNode : parser.optionalSequence(r, "scopes")) {
                String scope = parser.scalar(scopeNode, "a scope name");
                if (BuiltInScopes.isBuiltIn(scope)) {
                    throw parser.error(scopeNode, "dynamic_registration cannot offer the built-in scope " + scope);
                }
                if (!scopes.contains(scope)) {
                    scopes.add(scope);
                }
            }
            registration = new DynamicRegistration(parser.optionalBoolean(r, "enabled").orElse(false),
                    token.map(AuthorizationSettingsSection::hash), scopes);
        }
        boolean requirePar = parser.optionalBoolean(fields, "require_par").orElse(false);
        boolean dpopNonce = false;
        if (present(fields, "dpop")) {
            dpopNonce = parser.optionalBoolean(parser.mapping(fields.get("dpop"), DPOP_KEYS, "dpop"), "nonce").orElse(false);
        }
        return new AuthorizationSpec(new AuthorizationSettings(resources, documents, registration, requirePar, dpopNonce),
                keepsInitialAccessToken);
    }

    /**
     * Dynamic registration may only offer delegated scopes the tenant defines: a registered client acts for a
     * signed-in user, never as itself (application) nor on behalf of anyone it names (on-behalf-of).
     */
    static void checkRegistrationScopes(TenantsFileParser parser, Map<String, Node> fields, AuthorizationSettings settings,
                                        Map<String, ScopeKind> tenantScopes) {
        for (String scope : settings.dynamicRegistration().scopes()) {
            ScopeKind kind = tenantScopes.get(scope);
            if (kind != ScopeKind.DELEGATED) {
                throw parser.error(fields.get("dynamic_registration"), "dynamic_registration names scope '" + scope + "', which "
                        + (kind == null ? "the tenant does not define under scopes:" : "is " + kind.label()
                        + ": registered clients may only get delegated scopes"));
            }
        }
    }

    static String hash(String initialAccessToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(SecretHasher.hash(initialAccessToken));
    }

    private static List<String> resources(TenantsFileParser parser, Map<String, Node> fields) {
        List<Node> nodes = parser.optionalSequence(fields, "resources");
        if (nodes.size() > MAX_RESOURCES) {
            throw parser.error(fields.get("resources"), "a tenant registers at most " + MAX_RESOURCES + " resources");
        }
        List<String> resources = new ArrayList<>();
        for (Node node : nodes) {
            String resource = parser.scalar(node, "a resource");
            String problem = resourceProblem(resource);
            if (problem != null) {
                throw parser.error(node, "resource '" + abbreviate(resource) + "' " + problem);
            }
            if (resources.contains(resource)) {
                throw parser.error(node, "duplicate resource '" + resource + "'");
            }
            resources.add(resource);
        }
        return resources;
    }

    /** RFC 8707 section 2: an absolute URI without a fragment; https, or http on a loopback host for development. */
    private static String resourceProblem(String resource) {
        if (resource.length() > MAX_RESOURCE_LENGTH) {
            return "is longer than " + MAX_RESOURCE_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(resource);
        } catch (URISyntaxException e) {
            return "is not a URI";
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            return "must be an absolute URL with a host";
        }
        if (uri.getRawFragment() != null || resource.contains("#")) {
            return "must not have a fragment (RFC 8707 section 2)";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not hold a user name or password";
        }
        boolean https = "https".equals(uri.getScheme());
        boolean loopbackHttp = "http".equals(uri.getScheme()) && Loopback.isLoopback(uri.getHost());
        if (!https && !loopbackHttp) {
            return "must be https (http only on a loopback host)";
        }
        return null;
    }

    private static List<String> hosts(TenantsFileParser parser, Map<String, Node> fields) {
        List<Node> nodes = parser.optionalSequence(fields, "allowed_hosts");
        if (nodes.size() > MAX_HOSTS) {
            throw parser.error(fields.get("allowed_hosts"), "allowed_hosts lists at most " + MAX_HOSTS + " host names");
        }
        List<String> hosts = new ArrayList<>();
        for (Node node : nodes) {
            String host = parser.scalar(node, "a host name").trim().toLowerCase(Locale.ROOT);
            if (!HOST.matcher(host).matches()) {
                throw parser.error(node, "'" + abbreviate(host) + "' is not a host name");
            }
            if (!hosts.contains(host)) {
                hosts.add(host);
            }
        }
        return hosts;
    }

    private static boolean present(Map<String, Node> fields, String key) {
        return fields.containsKey(key) && !TenantsFileParser.isNull(fields.get(key));
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }
}
