package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.SubjectSpec;
import dev.portcullis.identity.AdminRole;
import dev.portcullis.protocol.ParameterLimits;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A tenant's {@code users:} or {@code customers:} list. */
final class SubjectsSection {

    private static final Set<String> USER_KEYS = Set.of("id", "username", "email", "password", "password_hash", "enabled", "roles");
    /** {@code roles} is known here only to refuse it with a reason rather than as an unknown key. */
    private static final Set<String> CUSTOMER_KEYS = Set.of("id", "email", "password", "password_hash", "enabled", "roles");
    /** What {@code PasswordHasher} writes and verifies; anything else could never sign in, so it is refused, not stored. */
    private static final String HASH_PREFIX = "$argon2id$";

    private SubjectsSection() {
    }

    static List<SubjectSpec> read(TenantsFileParser parser, List<Node> nodes, boolean users, String tenantId) {
        List<SubjectSpec> subjects = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> usernames = new HashSet<>();
        Set<String> emails = new HashSet<>();
        String what = users ? "user" : "customer";
        for (Node node : nodes) {
            Map<String, Node> s = parser.mapping(node, users ? USER_KEYS : CUSTOMER_KEYS, "a " + what);
            String id = parser.requiredString(node, s, "id");
            Optional<String> username = users ? Optional.of(parser.requiredString(node, s, "username")) : Optional.empty();
            Optional<String> email = users ? parser.optionalString(s, "email") : Optional.of(parser.requiredString(node, s, "email"));
            if (email.isPresent() && !email.get().matches("[^@\\s]+@[^@\\s]+")) {
                throw parser.error(s.get("email"), "'" + email.get() + "' is not an email address");
            }
            for (Optional<String> identifier : List.of(Optional.of(id), username, email)) {
                if (identifier.isPresent() && identifier.get().length() > ParameterLimits.IDENTIFIER) {
                    throw parser.error(node, what + " ids, usernames and emails may have at most " + ParameterLimits.IDENTIFIER
                            + " characters, the most a request may send");
                }
            }
            Optional<String> password = parser.optionalString(s, "password");
            if (password.isPresent() && password.get().length() < 8) {
                throw parser.error(s.get("password"), what + " passwords must have at least 8 characters");
            }
            if (password.isPresent() && password.get().length() > ParameterLimits.PASSWORD) {
                throw parser.error(s.get("password"), what + " passwords may have at most " + ParameterLimits.PASSWORD
                        + " characters, the most the sign-in form accepts");
            }
            Optional<String> passwordHash = parser.optionalString(s, "password_hash").map(String::trim);
            if (passwordHash.isPresent() && password.isPresent()) {
                throw parser.error(s.get("password_hash"), "a " + what + " has either password or password_hash, not both");
            }
            if (passwordHash.isPresent() && !passwordHash.get().startsWith(HASH_PREFIX)) {
                throw parser.error(s.get("password_hash"), "password_hash must be an Argon2id hash (" + HASH_PREFIX
                        + "...), as export --include-password-hashes writes it");
            }
            if (!ids.add(id)) {
                throw parser.error(node, "duplicate " + what + " id '" + id + "'");
            }
            if (username.isPresent() && !usernames.add(username.get().toLowerCase(Locale.ROOT))) {
                throw parser.error(node, "duplicate username '" + username.get() + "'");
            }
            if (email.isPresent() && !emails.add(email.get().toLowerCase(Locale.ROOT))) {
                throw parser.error(node, "duplicate " + what + " email '" + email.get() + "'");
            }
            subjects.add(new SubjectSpec(id, username, email, password, passwordHash,
                    parser.optionalBoolean(s, "enabled").orElse(true), roles(parser, s, users, tenantId)));
        }
        return List.copyOf(subjects);
    }

    /** A user's {@code roles:} list, each allowed in its tenant ({@link AdminRole#problem}); customers may not have one. */
    private static Set<String> roles(TenantsFileParser parser, Map<String, Node> fields, boolean users, String tenantId) {
        if (!fields.containsKey("roles")) {
            return Set.of();
        }
        if (!users) {
            throw parser.error(fields.get("roles"), "customers cannot have roles; only users (the -U realm) can be administrators");
        }
        Set<String> roles = new TreeSet<>();
        for (Node node : parser.optionalSequence(fields, "roles")) {
            String role = parser.scalar(node, "a role").trim();
            AdminRole.problem(role, tenantId).ifPresent(problem -> {
                throw parser.error(node, problem);
            });
            roles.add(role);
        }
        return roles;
    }
}
