package dev.portcullis.token;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.Provider;
import java.util.Optional;

/**
 * Chooses the JCA provider for signing: Amazon Corretto Crypto Provider (AWS-LC, native) signs
 * RSA about four times faster than the JDK; where its native library cannot load, the JDK's own
 * provider is used. The choice is logged once.
 */
public final class CryptoProviders {

    private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);
    private static volatile Optional<Provider> signing;

    private CryptoProviders() {
    }

    /** The provider to sign with; empty means the JDK default. */
    public static Optional<Provider> signingProvider() {
        Optional<Provider> chosen = signing;
        if (chosen == null) {
            synchronized (CryptoProviders.class) {
                chosen = signing;
                if (chosen == null) {
                    chosen = loadCorretto();
                    signing = chosen;
                }
            }
        }
        return chosen;
    }

    public static String signingProviderName() {
        return signingProvider().map(Provider::getName).orElse("JDK");
    }

    private static Optional<Provider> loadCorretto() {
        if (Boolean.getBoolean("portcullis.disableAccp") || "false".equalsIgnoreCase(System.getenv("PORTCULLIS_ACCP"))) {
            LOG.info("Signing with the JDK provider: Amazon Corretto Crypto Provider disabled by configuration");
            return Optional.empty();
        }
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable error = accp.getLoadingError();
            if (error != null) {
                LOG.warn("Signing with the JDK provider: Amazon Corretto Crypto Provider did not load ({})", error.toString());
                return Optional.empty();
            }
            accp.assertHealthy();
            LOG.info("Signing with Amazon Corretto Crypto Provider {} (AWS-LC)", accp.getVersionStr());
            return Optional.of(accp);
        } catch (Throwable e) {
            LOG.warn("Signing with the JDK provider: Amazon Corretto Crypto Provider unavailable ({})", e.toString());
            return Optional.empty();
        }
    }
}
