package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.IdentityProviderSpec;
import dev.portcullis.exchange.IdentityProvider;
import dev.portcullis.exchange.RegistrationRules;
import dev.portcullis.exchange.UserClaim;
import dev.portcullis.tenant.RealmType;
import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A tenant's {@code identity_providers:} list: the registrations Token Exchange accepts external tokens from. */
final class IdentityProvidersSection {

    private static final Set<String> KEYS = Set.of("registration_id", "name", "realm", "issuer", "jwks_uri", "audiences",
            "algorithms", "user_claim", "allow_private_network");

    private IdentityProvidersSection() {
    }

    static List<IdentityProviderSpec> read(TenantsFileParser parser, List<Node> nodes) {
        List<IdentityProviderSpec> providers = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> unnamed = new HashSet<>();
        for (Node node : nodes) {
            IdentityProviderSpec provider = provider(parser, node);
            if (provider.registrationId().isPresent() && !ids.add(provider.registrationId().get())) {
                throw parser.error(node, "duplicate registration_id '" + provider.registrationId().get() + "'");
            }
            // without an id, realm and issuer are what finds the registration again on the next apply
            if (provider.registrationId().isEmpty() && !unnamed.add(provider.realm().suffix() + " " + provider.issuer())) {
                throw parser.error(node, "two identity providers of realm " + provider.realm().suffix() + " with issuer '"
                        + provider.issuer() + "' and no registration_id; give each a registration_id");
            }
            providers.add(provider);
        }
        return List.copyOf(providers);
    }

    static IdentityProviderSpec provider(TenantsFileParser parser, Node node) {
        Map<String, Node> fields = parser.mapping(node, KEYS, "an identity provider");
        Optional<String> id = parser.optionalString(fields, "registration_id").map(String::trim);
        id.flatMap(RegistrationRules::registrationIdProblem).ifPresent(problem -> {
            throw parser.error(fields.get("registration_id"), problem);
        });
        String name = parser.requiredString(node, fields, "name");
        check(parser, fields.get("name"), RegistrationRules.nameProblem(name));
        String realmLabel = parser.optionalString(fields, "realm").orElse("U");
        RealmType realm = RegistrationRules.realm(realmLabel).orElseThrow(() ->
                parser.error(fields.get("realm"), "realm must be U (users) or C (customers), not '" + realmLabel + "'"));
        String issuer = parser.requiredString(node, fields, "issuer");
        check(parser, fields.get("issuer"), RegistrationRules.urlProblem("issuer", issuer));
        Optional<String> jwksUri = parser.optionalString(fields, "jwks_uri").map(String::trim);
        if (jwksUri.isPresent()) {
            check(parser, fields.get("jwks_uri"), RegistrationRules.urlProblem("jwks_uri", jwksUri.get()));
        }
        List<String> audiences = strings(parser, fields, "audiences");
        check(parser, fields.getOrDefault("audiences", node), RegistrationRules.audiencesProblem(audiences));
        List<String> algorithms = fields.containsKey("algorithms") ? strings(parser, fields, "algorithms")
                : IdentityProvider.DEFAULT_ALGORITHMS;
        check(parser, fields.getOrDefault("algorithms", node), RegistrationRules.algorithmsProblem(algorithms));
        String claim = parser.optionalString(fields, "user_claim").orElse("email");
        check(parser, fields.getOrDefault("user_claim", node), RegistrationRules.userClaimProblem(claim, realm));
        boolean allowPrivate = parser.optionalBoolean(fields, "allow_private_network").orElse(false);
        return new IdentityProviderSpec(id, name, realm, issuer, jwksUri, audiences, algorithms,
                UserClaim.fromClaim(claim).orElseThrow(), allowPrivate);
    }

    private static List<String> strings(TenantsFileParser parser, Map<String, Node> fields, String key) {
        List<String> values = new ArrayList<>();
        for (Node item : parser.optionalSequence(fields, key)) {
            String value = parser.scalar(item, "an entry of " + key).trim();
            if (!values.contains(value)) {
                values.add(value);
            }
        }
        return List.copyOf(values);
    }

    private static void check(TenantsFileParser parser, Node node, Optional<String> problem) {
        if (problem.isPresent()) {
            throw parser.error(node, problem.get());
        }
    }
}
