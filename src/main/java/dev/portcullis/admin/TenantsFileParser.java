package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.admin.TenantsFile.SecretSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.admin.TenantsFile.TenantSpec;
import dev.portcullis.protocol.ParameterLimits;
import dev.portcullis.client.ConsentMode;
import dev.portcullis.client.Platform;
import dev.portcullis.client.RedirectUris;
import dev.portcullis.client.SecretHasher;
import dev.portcullis.tenant.LoginThrottlePolicy;
import dev.portcullis.tenant.ScopeKind;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a tenants file. It works on the YAML node tree so every refusal can name
 * its line; it refuses unknown keys, unknown scopes on a client, secrets on spa clients, short
 * secrets and duplicate ids. Nothing is applied unless the whole file is valid.
 */
public final class TenantsFileParser {

    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
    private static final Pattern SCOPE_NAME = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,200}");
    private static final Set<String> TENANT_KEYS = Set.of("id", "name", "access_token_ttl", "refresh_token_idle_ttl",
            "refresh_token_absolute_ttl", "enabled", "login_throttle", "scopes", "users", "customers", "clients",
            "identity_providers");
    private static final Set<String> SCOPE_KEYS = Set.of("name", "kind", "description");
    private static final Set<String> USER_KEYS = Set.of("id", "username", "email", "password", "enabled");
    private static final Set<String> CUSTOMER_KEYS = Set.of("id", "email", "password", "enabled");
    private static final Set<String> CLIENT_KEYS = Set.of("client_id", "name", "platform", "secrets", "scopes",
            "redirect_uris", "access_token_ttl", "require_pkce", "consent", "enabled", "token_exchange");
    private static final Set<String> SECRET_KEYS = Set.of("value", "expires_at");
    static final int MAX_SECRETS = 2;

    private final String source;

    private TenantsFileParser(String source) {
        this.source = source;
    }

    public static TenantsFile parse(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new TenantsFileException("cannot read tenants file " + file + ": " + e.getMessage());
        }
    }

    public static TenantsFile parse(String yaml, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(new java.io.StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new TenantsFileException(source + ":" + line + ": " + e.getProblem());
        } catch (RuntimeException e) {
            throw new TenantsFileException(source + ": not valid YAML: " + e.getMessage());
        }
        return new TenantsFileParser(source).file(root);
    }

    private TenantsFile file(Node root) {
        if (root == null) {
            throw new TenantsFileException(source + ": the file is empty; it needs a 'tenants:' list");
        }
        Map<String, Node> top = mapping(root, Set.of("tenants"), "the file");
        Node tenantsNode = top.get("tenants");
        if (tenantsNode == null) {
            throw error(root, "the file needs a 'tenants:' list");
        }
        List<TenantSpec> tenants = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Node node : sequence(tenantsNode, "tenants")) {
            TenantSpec tenant = tenant(node);
            if (!ids.add(tenant.id())) {
                throw error(node, "duplicate tenant id '" + tenant.id() + "'");
            }
            tenants.add(tenant);
        }
        return new TenantsFile(List.copyOf(tenants));
    }

    private TenantSpec tenant(Node node) {
        Map<String, Node> fields = mapping(node, TENANT_KEYS, "a tenant");
        String id = requiredString(node, fields, "id");
        if (!TENANT_ID.matcher(id).matches()) {
            throw error(fields.get("id"), "tenant id '" + id + "' must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
        }
        String name = requiredString(node, fields, "name");
        int ttl = optionalInt(fields, "access_token_ttl", 60, 86_400).orElse(3600);
        int refreshIdle = optionalInt(fields, "refresh_token_idle_ttl", 60, 31_536_000).orElse(604_800);
        int refreshAbsolute = optionalInt(fields, "refresh_token_absolute_ttl", 60, 31_536_000).orElse(2_592_000);
        if (refreshIdle > refreshAbsolute) {
            throw error(fields.get("refresh_token_idle_ttl"), "refresh_token_idle_ttl cannot exceed refresh_token_absolute_ttl");
        }
        boolean enabled = optionalBoolean(fields, "enabled").orElse(true);
        LoginThrottlePolicy loginThrottle = fields.containsKey("login_throttle") && !isNull(fields.get("login_throttle"))
                ? LoginThrottleSection.read(this, fields.get("login_throttle")) : LoginThrottlePolicy.DEFAULT;

        List<ScopeSpec> scopes = new ArrayList<>();
        Set<String> scopeNames = new HashSet<>();
        for (Node scopeNode : optionalSequence(fields, "scopes")) {
            Map<String, Node> s = mapping(scopeNode, SCOPE_KEYS, "a scope");
            String scopeName = requiredString(scopeNode, s, "name");
            if (!SCOPE_NAME.matcher(scopeName).matches()) {
                throw error(s.get("name"), "scope name '" + scopeName + "' may not contain spaces, '\"' or '\\'");
            }
            String kind = requiredString(scopeNode, s, "kind");
            if (ScopeKind.fromLabel(kind).isEmpty()) {
                throw error(s.get("kind"), "scope kind must be application, delegated or on-behalf-of, not '" + kind + "'");
            }
            if (!scopeNames.add(scopeName)) {
                throw error(scopeNode, "duplicate scope '" + scopeName + "' in tenant " + id);
            }
            scopes.add(new ScopeSpec(scopeName, kind, optionalString(s, "description").orElse(null)));
        }

        List<SubjectSpec> users = subjects(fields, "users", USER_KEYS, true);
        List<SubjectSpec> customers = subjects(fields, "customers", CUSTOMER_KEYS, false);

        List<ClientSpec> clients = new ArrayList<>();
        Set<String> clientIds = new HashSet<>();
        for (Node clientNode : optionalSequence(fields, "clients")) {
            ClientSpec client = client(clientNode, scopeNames, id);
            if (!clientIds.add(client.clientId())) {
                throw error(clientNode, "duplicate client_id '" + client.clientId() + "' in tenant " + id);
            }
            clients.add(client);
        }
        return new TenantSpec(id, name, ttl, refreshIdle, refreshAbsolute, enabled, loginThrottle, scopes, users, customers, clients,
                IdentityProvidersSection.read(this, optionalSequence(fields, "identity_providers")));
    }

    private List<SubjectSpec> subjects(Map<String, Node> fields, String key, Set<String> allowed, boolean users) {
        List<SubjectSpec> subjects = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> usernames = new HashSet<>();
        Set<String> emails = new HashSet<>();
        String what = users ? "user" : "customer";
        for (Node node : optionalSequence(fields, key)) {
            Map<String, Node> s = mapping(node, allowed, "a " + what);
            String id = requiredString(node, s, "id");
            Optional<String> username = users ? Optional.of(requiredString(node, s, "username")) : Optional.empty();
            Optional<String> email = users ? optionalString(s, "email") : Optional.of(requiredString(node, s, "email"));
            if (email.isPresent() && !email.get().matches("[^@\\s]+@[^@\\s]+")) {
                throw error(s.get("email"), "'" + email.get() + "' is not an email address");
            }
            for (Optional<String> identifier : List.of(Optional.of(id), username, email)) {
                if (identifier.isPresent() && identifier.get().length() > ParameterLimits.IDENTIFIER) {
                    throw error(node, what + " ids, usernames and emails may have at most " + ParameterLimits.IDENTIFIER
                            + " characters, the most a request may send");
                }
            }
            Optional<String> password = optionalString(s, "password");
            if (password.isPresent() && password.get().length() < 8) {
                throw error(s.get("password"), what + " passwords must have at least 8 characters");
            }
            if (!ids.add(id)) {
                throw error(node, "duplicate " + what + " id '" + id + "'");
            }
            if (username.isPresent() && !usernames.add(username.get().toLowerCase(Locale.ROOT))) {
                throw error(node, "duplicate username '" + username.get() + "'");
            }
            if (email.isPresent() && !emails.add(email.get().toLowerCase(Locale.ROOT))) {
                throw error(node, "duplicate " + what + " email '" + email.get() + "'");
            }
            subjects.add(new SubjectSpec(id, username, email, password, optionalBoolean(s, "enabled").orElse(true)));
        }
        return subjects;
    }

    private ClientSpec client(Node node, Set<String> tenantScopes, String tenantId) {
        Map<String, Node> c = mapping(node, CLIENT_KEYS, "a client");
        String clientId = requiredString(node, c, "client_id");
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw error(c.get("client_id"), "client_id '" + clientId + "' must be 1-128 letters, digits, '.', '_', '~' or '-'");
        }
        String name = requiredString(node, c, "name");
        String platform = requiredString(node, c, "platform");
        Platform parsedPlatform = Platform.fromLabel(platform).orElseThrow(() ->
                error(c.get("platform"), "platform must be web or spa, not '" + platform + "'"));

        Optional<List<SecretSpec>> secrets = Optional.empty();
        if (c.containsKey("secrets")) {
            if (!parsedPlatform.isConfidential()) {
                throw error(c.get("secrets"), "client '" + clientId + "' is an spa (public) client and cannot have secrets");
            }
            List<SecretSpec> list = new ArrayList<>();
            for (Node secretNode : sequence(c.get("secrets"), "secrets")) {
                SecretSpec secret = secret(secretNode);
                if (list.stream().anyMatch(s -> s.value().equals(secret.value()))) {
                    throw error(secretNode, "duplicate secret: client '" + clientId + "' lists the same secret twice");
                }
                list.add(secret);
            }
            if (list.size() > MAX_SECRETS) {
                throw error(c.get("secrets"), "a client has at most " + MAX_SECRETS + " secrets");
            }
            secrets = Optional.of(List.copyOf(list));
        }

        List<String> scopes = new ArrayList<>();
        for (Node scopeNode : optionalSequence(c, "scopes")) {
            String scope = scalar(scopeNode, "a scope name");
            if (!tenantScopes.contains(scope)) {
                throw error(scopeNode, "client '" + clientId + "' names scope '" + scope + "', which tenant " + tenantId
                        + " does not define under scopes:");
            }
            if (!scopes.contains(scope)) {
                scopes.add(scope);
            }
        }
        List<String> redirectUris = new ArrayList<>();
        for (Node uriNode : optionalSequence(c, "redirect_uris")) {
            String uri = scalar(uriNode, "a redirect URI");
            checkRedirectUri(uriNode, uri);
            redirectUris.add(uri);
        }
        String consent = optionalString(c, "consent").orElse("required");
        if (ConsentMode.fromLabel(consent).isEmpty()) {
            throw error(c.get("consent"), "consent must be required or skip, not '" + consent + "'");
        }
        boolean tokenExchange = optionalBoolean(c, "token_exchange").orElse(false);
        if (tokenExchange && !parsedPlatform.isConfidential()) {
            throw error(c.get("token_exchange"), "client '" + clientId + "' is a public client; token exchange needs a web "
                    + "(confidential) client, which authenticates with a secret");
        }
        return new ClientSpec(clientId, name, platform, secrets, List.copyOf(scopes), List.copyOf(redirectUris),
                optionalInt(c, "access_token_ttl", 60, 86_400), optionalBoolean(c, "require_pkce").orElse(false), consent,
                optionalBoolean(c, "enabled").orElse(true), tokenExchange);
    }

    private SecretSpec secret(Node node) {
        String value;
        OptionalLong expiresAt = OptionalLong.empty();
        if (node instanceof MappingNode) {
            Map<String, Node> s = mapping(node, SECRET_KEYS, "a secret");
            value = requiredString(node, s, "value");
            Optional<String> expiry = optionalString(s, "expires_at");
            if (expiry.isPresent()) {
                expiresAt = OptionalLong.of(parseInstant(s.get("expires_at"), expiry.get()));
            }
        } else {
            value = scalar(node, "a secret");
        }
        if (value.length() < SecretHasher.MINIMUM_SECRET_LENGTH) {
            throw error(node, "client secrets must have at least " + SecretHasher.MINIMUM_SECRET_LENGTH
                    + " characters (generate one with: openssl rand -base64 32)");
        }
        return new SecretSpec(value, expiresAt);
    }

    private long parseInstant(Node node, String text) {
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            } catch (DateTimeParseException e2) {
                throw error(node, "expires_at must be a date (2027-01-31) or an instant (2027-01-31T00:00:00Z), not '" + text + "'");
            }
        }
    }

    private void checkRedirectUri(Node node, String uri) {
        RedirectUris.problem(uri).ifPresent(problem -> {
            throw error(node, problem);
        });
    }

    // ---- node helpers -------------------------------------------------------------------------

    Map<String, Node> mapping(Node node, Set<String> allowed, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping of keys to values");
        }
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw error(tuple.getKeyNode(), "unknown key '" + key + "' in " + what + " (known keys: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
            // LoaderOptions.setAllowDuplicateKeys only acts when constructing objects, not on the composed node tree
            if (fields.put(key, tuple.getValueNode()) != null) {
                throw error(tuple.getKeyNode(), "duplicate key '" + key + "' in " + what);
            }
        }
        return fields;
    }

    List<Node> sequence(Node node, String what) {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(node, "'" + what + "' must be a list");
        }
        return sequence.getValue();
    }

    List<Node> optionalSequence(Map<String, Node> fields, String key) {
        Node node = fields.get(key);
        if (node == null || isNull(node)) {
            return List.of();
        }
        return sequence(node, key);
    }

    String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode scalar) || isNull(node)) {
            throw error(node, what + " must be a single value");
        }
        return scalar.getValue();
    }

    String requiredString(Node parent, Map<String, Node> fields, String key) {
        Node node = fields.get(key);
        if (node == null) {
            throw error(parent, "'" + key + "' is required");
        }
        String value = scalar(node, "'" + key + "'").trim();
        if (value.isEmpty()) {
            throw error(node, "'" + key + "' must not be empty");
        }
        return value;
    }

    Optional<String> optionalString(Map<String, Node> fields, String key) {
        Node node = fields.get(key);
        if (node == null || isNull(node)) {
            return Optional.empty();
        }
        return Optional.of(scalar(node, "'" + key + "'"));
    }

    private OptionalInt optionalInt(Map<String, Node> fields, String key, int min, int max) {
        Optional<String> text = optionalString(fields, key);
        if (text.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(text.get().trim());
            if (value < min || value > max) {
                throw error(fields.get(key), "'" + key + "' must be between " + min + " and " + max + " seconds");
            }
            return OptionalInt.of(value);
        } catch (NumberFormatException e) {
            throw error(fields.get(key), "'" + key + "' must be a whole number of seconds, not '" + text.get() + "'");
        }
    }

    Optional<Boolean> optionalBoolean(Map<String, Node> fields, String key) {
        Optional<String> text = optionalString(fields, key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return switch (text.get()) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> throw error(fields.get(key), "'" + key + "' must be true or false, not '" + text.get() + "'");
        };
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
    }

    TenantsFileException error(Node node, String message) {
        int line = node == null ? 0 : node.getStartMark().getLine() + 1;
        return new TenantsFileException(source + ":" + line + ": " + message);
    }
}
