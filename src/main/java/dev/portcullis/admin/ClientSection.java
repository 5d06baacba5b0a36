package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.SecretSpec;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ConsentMode;
import dev.portcullis.client.Platform;
import dev.portcullis.client.RedirectUris;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.client.StoredSecret;
import dev.portcullis.console.ConsoleClient;
import dev.portcullis.tenant.BuiltInScopes;
import dev.portcullis.token.SigningAlgorithms;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** One entry of a tenant's {@code clients:} list, with its secrets and redirect URIs checked for its platform. */
final class ClientSection {

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
    private static final Set<String> CLIENT_KEYS = Set.of("client_id", "name", "description", "platform", "secrets", "scopes",
            "redirect_uris", "access_token_ttl", "require_pkce", "consent", "enabled", "token_exchange",
            "post_logout_redirect_uris", "id_token_signed_response_alg", "require_par");
    private static final Set<String> SECRET_KEYS = Set.of("name", "value", "expires_at");
    static final int MAX_SECRETS = 2;

    private final TenantsFileParser parser;

    private ClientSection(TenantsFileParser parser) {
        this.parser = parser;
    }

    static ClientSpec read(TenantsFileParser parser, Node node, Set<String> tenantScopes, String tenantId) {
        return new ClientSection(parser).client(node, tenantScopes, tenantId);
    }

    private ClientSpec client(Node node, Set<String> tenantScopes, String tenantId) {
        Map<String, Node> c = parser.mapping(node, CLIENT_KEYS, "a client");
        String clientId = parser.requiredString(node, c, "client_id");
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw parser.error(c.get("client_id"), "client_id '" + clientId + "' must be 1-128 letters, digits, '.', '_', '~' or '-'");
        }
        ConsoleClient.reservation(clientId).ifPresent(reserved -> {
            throw parser.error(c.get("client_id"), reserved);
        });
        String name = parser.requiredString(node, c, "name");
        Optional<String> description = parser.optionalString(c, "description").map(String::strip).filter(d -> !d.isEmpty());
        if (description.isPresent() && description.get().length() > ClientApplication.MAX_DESCRIPTION_LENGTH) {
            throw parser.error(c.get("description"), "a client's description may have at most "
                    + ClientApplication.MAX_DESCRIPTION_LENGTH + " characters");
        }
        String platform = parser.requiredString(node, c, "platform");
        Platform parsedPlatform = Platform.fromLabel(platform).orElseThrow(() ->
                parser.error(c.get("platform"), "platform must be web, spa or native, not '" + platform + "'"));

        Optional<List<SecretSpec>> secrets = Optional.empty();
        if (c.containsKey("secrets")) {
            if (!parsedPlatform.isConfidential()) {
                throw parser.error(c.get("secrets"), "client '" + clientId + "' is a " + parsedPlatform.description()
                        + " client and cannot have secrets");
            }
            secrets = Optional.of(secrets(c.get("secrets"), clientId));
        }

        List<String> scopes = new ArrayList<>();
        for (Node scopeNode : parser.optionalSequence(c, "scopes")) {
            String scope = parser.scalar(scopeNode, "a scope name");
            if (!tenantScopes.contains(scope) && !BuiltInScopes.isBuiltIn(scope)) {
                throw parser.error(scopeNode, "client '" + clientId + "' names scope '" + scope + "', which tenant " + tenantId
                        + " does not define under scopes:");
            }
            if (!scopes.contains(scope)) {
                scopes.add(scope);
            }
        }
        List<String> redirectUris = new ArrayList<>();
        for (Node uriNode : parser.optionalSequence(c, "redirect_uris")) {
            String uri = parser.scalar(uriNode, "a redirect URI");
            RedirectUris.problem(uri, parsedPlatform).ifPresent(problem -> {
                throw parser.error(uriNode, problem);
            });
            redirectUris.add(uri);
        }
        List<String> postLogoutRedirectUris = new ArrayList<>();
        for (Node uriNode : parser.optionalSequence(c, "post_logout_redirect_uris")) {
            String uri = parser.scalar(uriNode, "a post-logout redirect URI");
            RedirectUris.problem(uri, parsedPlatform).ifPresent(problem -> {
                throw parser.error(uriNode, problem);
            });
            postLogoutRedirectUris.add(uri);
        }
        String consent = parser.optionalString(c, "consent").orElse("required");
        if (ConsentMode.fromLabel(consent).isEmpty()) {
            throw parser.error(c.get("consent"), "consent must be required or skip, not '" + consent + "'");
        }
        boolean tokenExchange = parser.optionalBoolean(c, "token_exchange").orElse(false);
        if (tokenExchange && !parsedPlatform.isConfidential()) {
            throw parser.error(c.get("token_exchange"), "client '" + clientId + "' is a public client; token exchange needs a web "
                    + "(confidential) client, which authenticates with a secret");
        }
        Optional<String> idTokenAlg = parser.optionalString(c, "id_token_signed_response_alg");
        if (idTokenAlg.isPresent() && SigningAlgorithms.parse(idTokenAlg.get()).isEmpty()) {
            throw parser.error(c.get("id_token_signed_response_alg"), "id_token_signed_response_alg must be one of "
                    + SigningAlgorithms.names() + ", not '" + idTokenAlg.get() + "'");
        }
        return new ClientSpec(clientId, name, description, platform, secrets, List.copyOf(scopes), List.copyOf(redirectUris),
                parser.optionalInt(c, "access_token_ttl", 60, 86_400), parser.optionalBoolean(c, "require_pkce").orElse(false),
                consent, parser.optionalBoolean(c, "enabled").orElse(true), tokenExchange, List.copyOf(postLogoutRedirectUris),
                idTokenAlg, parser.optionalBoolean(c, "require_par").orElse(false));
    }

    /**
     * A client's secrets. Unnamed ones (the plain string and {@code { value, expires_at }} forms)
     * get primary or secondary when applied; once a list of two names one, it must name both,
     * since a default could then clash with the written name.
     */
    private List<SecretSpec> secrets(Node listNode, String clientId) {
        List<Node> nodes = parser.sequence(listNode, "secrets");
        if (nodes.size() > MAX_SECRETS) {
            throw parser.error(listNode, "a client has at most " + MAX_SECRETS + " secrets");
        }
        List<SecretSpec> list = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean anyNamed = nodes.stream().anyMatch(n -> n instanceof MappingNode m
                && m.getValue().stream().anyMatch(t -> "name".equals(parser.scalar(t.getKeyNode(), "a key"))));
        for (Node secretNode : nodes) {
            SecretSpec secret = secret(secretNode);
            if (anyNamed && nodes.size() > 1 && !(secretNode instanceof MappingNode m && parser.mapping(m, SECRET_KEYS, "a secret")
                    .containsKey("name"))) {
                throw parser.error(secretNode, "client '" + clientId + "' names some of its secrets: give this one a name too "
                        + "({ name: ..., value: ... })");
            }
            if (list.stream().anyMatch(s -> s.value().equals(secret.value()))) {
                throw parser.error(secretNode, "duplicate secret: client '" + clientId + "' lists the same secret twice");
            }
            if (secret.name().isPresent() && !names.add(secret.name().get())) {
                throw parser.error(secretNode, "duplicate secret name '" + secret.name().get() + "' in client '" + clientId
                        + "'; each secret of a client needs its own name");
            }
            list.add(secret);
        }
        return List.copyOf(list);
    }

    private SecretSpec secret(Node node) {
        String value;
        Optional<String> name = Optional.empty();
        OptionalLong expiresAt = OptionalLong.empty();
        if (node instanceof MappingNode) {
            Map<String, Node> s = parser.mapping(node, SECRET_KEYS, "a secret");
            value = parser.requiredString(node, s, "value");
            if (s.containsKey("name")) {
                name = Optional.of(parser.requiredString(node, s, "name"));
                if (name.get().length() > StoredSecret.MAX_NAME_LENGTH || name.get().chars().anyMatch(Character::isISOControl)) {
                    throw parser.error(s.get("name"), "a secret's name may have at most " + StoredSecret.MAX_NAME_LENGTH
                            + " characters and no control characters");
                }
            }
            Optional<String> expiry = parser.optionalString(s, "expires_at");
            if (expiry.isPresent()) {
                expiresAt = OptionalLong.of(parseInstant(s.get("expires_at"), expiry.get()));
            }
        } else {
            value = parser.scalar(node, "a secret");
        }
        if (value.length() < SecretHasher.MINIMUM_SECRET_LENGTH) {
            throw parser.error(node, "client secrets must have at least " + SecretHasher.MINIMUM_SECRET_LENGTH
                    + " characters (generate one with: openssl rand -base64 32)");
        }
        return new SecretSpec(name, value, expiresAt);
    }

    private long parseInstant(Node node, String text) {
        return SecretExpiry.parse(text).orElseThrow(() ->
                parser.error(node, "expires_at must be " + SecretExpiry.FORMS + ", not '" + text + "'"));
    }
}
