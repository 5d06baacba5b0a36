package dev.portcullis;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.token.AccessTokenIssuer;
import dev.portcullis.token.CryptoProviders;
import dev.portcullis.token.JwkSigners;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import io.javalin.Javalin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up is mostly class loading and cold code, on two cores. While the main thread migrates
 * the database and applies the tenants file, this thread loads and exercises the HTTP stack,
 * the templates and the signing path, so the first request finds them ready. It changes no state.
 */
public final class StartupWarmer {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmer.class);

    private StartupWarmer() {
    }

    public static Thread start(String signingAlgorithm) {
        Thread thread = new Thread(() -> warm(signingAlgorithm), "portcullis-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    private static void warm(String signingAlgorithm) {
        try {
            CryptoProviders.signingProvider();
            Javalin.create(config -> config.showJavalinBanner = false);
            TemplateEngine.createPrecompiled(ContentType.Html);
            JWSAlgorithm alg = JWSAlgorithm.parse(signingAlgorithm);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(AccessTokenIssuer.AT_JWT).keyID("warmup").build(),
                    new JWTClaimsSet.Builder().subject("warmup").claim("scope", "warmup").build());
            jwt.sign(JwkSigners.signer(JwkSigners.generate(alg, "warmup")));
            jwt.serialize();
        } catch (JOSEException | RuntimeException e) {
            LOG.debug("Start-up warm-up skipped a step: {}", e.toString());
        }
    }
}
