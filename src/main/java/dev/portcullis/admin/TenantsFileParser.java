package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.ScopeSpec;
import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.admin.TenantsFile.TenantSettings;
import dev.portcullis.admin.TenantsFile.TenantSpec;
import dev.portcullis.egain.AnonymousCustomerPolicy;
import dev.portcullis.tenant.ScopeKind;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads and validates a tenants file, one tenant at a time ({@link TenantNodes}). It works on each tenant's YAML
 * node tree so every refusal can name its line; it refuses unknown keys, unknown scopes on a client, secrets on public clients, short
 * secrets and duplicate ids ({@link ClientSection} reads the clients). Nothing is applied unless the whole file is valid.
 */
public final class TenantsFileParser {

    private static final Set<String> TENANT_KEYS = tenantKeys();

    /** The largest tenants file read: 64 Mi characters, some 150,000 tenants of the size of examples/demo-tenants.yaml. */
    public static final int MAX_CODE_POINTS = 64 * 1024 * 1024;

    private final String source;

    /** A tenant's own settings and the objects it holds. */
    private static Set<String> tenantKeys() {
        Set<String> keys = new HashSet<>(TenantSettingsSection.KEYS);
        keys.addAll(Set.of("scopes", "users", "customers", "clients", "anonymous_customers", "identity_providers"));
        return Set.copyOf(keys);
    }

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
        // SnakeYAML's default (3 MB) refuses ten thousand tenants in one file; this still bounds what a file can cost
        options.setCodePointLimit(MAX_CODE_POINTS);
        TenantsFileParser parser = new TenantsFileParser(source);
        List<TenantSpec> tenants = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try {
            new TenantNodes(new java.io.StringReader(yaml), options).forEach(node -> {
                TenantSpec tenant = parser.tenant(node);
                if (!ids.add(tenant.id())) {
                    throw parser.error(node, "duplicate tenant id '" + tenant.id() + "'");
                }
                tenants.add(tenant);
            });
        } catch (TenantNodes.ShapeException e) {
            throw e.line == 0 ? new TenantsFileException(source + ": " + e.getMessage())
                    : new TenantsFileException(source + ":" + e.line + ": " + e.getMessage());
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new TenantsFileException(source + ":" + line + ": " + e.getProblem());
        } catch (TenantsFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TenantsFileException(source + ": not valid YAML: " + e.getMessage());
        }
        return new TenantsFile(List.copyOf(tenants));
    }

    private TenantSpec tenant(Node node) {
        Map<String, Node> fields = mapping(node, TENANT_KEYS, "a tenant");
        TenantSettings settings = TenantSettingsSection.read(this, node, fields);
        String id = settings.id();

        List<ScopeSpec> scopes = new ArrayList<>();
        Set<String> scopeNames = new HashSet<>();
        for (Node scopeNode : optionalSequence(fields, "scopes")) {
            ScopeSpec scope = ScopeSection.read(this, scopeNode);
            if (!scopeNames.add(scope.name())) {
                throw error(scopeNode, "duplicate scope '" + scope.name() + "' in tenant " + id);
            }
            scopes.add(scope);
        }
        Map<String, ScopeKind> scopeKinds = new HashMap<>();
        scopes.forEach(scope -> scopeKinds.put(scope.name(), ScopeKind.fromLabel(scope.kind()).orElseThrow()));
        AuthorizationSettingsSection.checkRegistrationScopes(this, fields, settings.authorization().settings(), scopeKinds);

        Optional<AnonymousCustomerPolicy> anonymousCustomers = fields.containsKey("anonymous_customers")
                && !isNull(fields.get("anonymous_customers"))
                ? Optional.of(AnonymousCustomersSection.read(this, fields.get("anonymous_customers"), scopes, id)) : Optional.empty();

        List<SubjectSpec> users = SubjectsSection.read(this, optionalSequence(fields, "users"), true, id);
        List<SubjectSpec> customers = SubjectsSection.read(this, optionalSequence(fields, "customers"), false, id);

        List<ClientSpec> clients = new ArrayList<>();
        Set<String> clientIds = new HashSet<>();
        for (Node clientNode : optionalSequence(fields, "clients")) {
            ClientSpec client = ClientSection.read(this, clientNode, scopeNames, id);
            if (!clientIds.add(client.clientId())) {
                throw error(clientNode, "duplicate client_id '" + client.clientId() + "' in tenant " + id);
            }
            clients.add(client);
        }
        return new TenantSpec(id, settings.name(), settings.accessTokenTtl(), settings.refreshTokenIdleTtl(),
                settings.refreshTokenAbsoluteTtl(), settings.enabled(), settings.loginThrottle(), scopes, users, customers, clients,
                anonymousCustomers, settings.signingKeyRotationDays(),
                IdentityProvidersSection.read(this, optionalSequence(fields, "identity_providers")), settings.tokenSigning(),
                settings.authorization(), settings.rateLimits());
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

    OptionalInt optionalInt(Map<String, Node> fields, String key, int min, int max) {
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

    static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
    }

    TenantsFileException error(Node node, String message) {
        // nodes built from an API request's JSON have no marks
        int line = node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        return new TenantsFileException(source + ":" + line + ": " + message, message, JsonAsYaml.field(node));
    }

    /** A parser for one object of an API request, which {@link RequestValidator} reads with the file's own sections. */
    static TenantsFileParser forRequest() {
        return new TenantsFileParser("request");
    }
}
