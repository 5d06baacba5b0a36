package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.TokenSigning;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.token.SigningAlgorithms;
import org.yaml.snakeyaml.nodes.Node;

import java.util.Map;
import java.util.Optional;

/** A tenant's {@code signing_alg} and {@code access_token_typ} keys in the tenants file. */
final class TokenSigningSection {

    private TokenSigningSection() {
    }

    static TokenSigning read(TenantsFileParser parser, Map<String, Node> fields) {
        Optional<String> alg = parser.optionalString(fields, "signing_alg").map(String::trim);
        if (alg.isPresent() && SigningAlgorithms.parse(alg.get()).isEmpty()) {
            throw parser.error(fields.get("signing_alg"), "signing_alg must be one of " + SigningAlgorithms.names()
                    + ", not '" + alg.get() + "'");
        }
        String typ = parser.optionalString(fields, "access_token_typ").map(String::trim).orElse(Tenant.AT_JWT);
        if (!typ.equals(Tenant.AT_JWT) && !typ.equals(Tenant.JWT)) {
            throw parser.error(fields.get("access_token_typ"), "access_token_typ must be at+jwt or JWT, not '" + typ + "'");
        }
        return new TokenSigning(alg, typ);
    }
}
