import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Prints a DPoP proof (RFC 9449) for one request, made with Nimbus' client-side proof factory and signed with an
 * EC P-256 key kept in a file (created on first use, mode 0600): what a DPoP client does before each request.
 * Run it with the server's libraries, which {@code ./portcullis serve} builds into target/lib:
 * <pre>
 *   java -cp 'target/lib/*' examples/dpop/DpopProof.java KEY_FILE METHOD URL [ACCESS_TOKEN [NONCE]]
 *   java -cp 'target/lib/*' examples/dpop/DpopProof.java KEY_FILE --jkt     (the key's thumbprint, for dpop_jkt)
 * </pre>
 * ACCESS_TOKEN, for a request to a resource, adds the token's hash ({@code ath}); NONCE is the last DPoP-Nonce the
 * server sent, for a tenant that asks for nonces. Pass "" to skip ACCESS_TOKEN.
 */
public class DpopProof {

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[1].equals("--jkt") && args.length < 3) {
            System.err.println("usage: DpopProof.java KEY_FILE METHOD URL [ACCESS_TOKEN [NONCE]] | KEY_FILE --jkt");
            System.exit(2);
        }
        ECKey key = key(Path.of(args[0]));
        if (args[1].equals("--jkt")) {
            System.out.println(key.computeThumbprint());
            return;
        }
        String token = args.length > 3 && !args[3].isEmpty() ? args[3] : null;
        String nonce = args.length > 4 && !args[4].isEmpty() ? args[4] : null;
        System.out.println(new DefaultDPoPProofFactory(key, JWSAlgorithm.ES256)
                .createDPoPJWT(args[1], URI.create(args[2]), token == null ? null : new DPoPAccessToken(token),
                        nonce == null ? null : new Nonce(nonce))
                .serialize());
    }

    /** The client's key: one per client instance, kept for as long as its tokens should stay usable. */
    private static ECKey key(Path file) throws Exception {
        if (Files.exists(file)) {
            return JWK.parse(Files.readString(file, StandardCharsets.UTF_8)).toECKey();
        }
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, key.toJSONString(), StandardCharsets.UTF_8);
        return key;
    }
}
