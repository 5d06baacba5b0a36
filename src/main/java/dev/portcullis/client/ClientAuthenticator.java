package dev.portcullis.client;

import dev.portcullis.protocol.OAuthException;
import dev.portcullis.tenant.Realm;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Authenticates the client of a token request. Secret checks are a keyed hash plus a constant-time
 * compare, and run for unknown clients too, so timing tells nothing about which client ids exist.
 */
public final class ClientAuthenticator {

    private final ClientDirectory clients;
    private final ClientSecretHasher hasher;
    private final StoredSecret noSuchClient;
    private final Clock clock;

    public ClientAuthenticator(ClientDirectory clients, ClientSecretHasher hasher, Clock clock) {
        this.clients = clients;
        this.hasher = hasher;
        this.noSuchClient = new StoredSecret("none", "none", hasher.hash("portcullis:no-such-client"), 0, OptionalLong.empty(), false);
        this.clock = clock;
    }

    /**
     * @param purpose     what the client is doing, for error messages, e.g. {@code grant_type=password}
     * @param allowPublic whether a public (spa or native) client may do it with no secret
     */
    public ClientApplication authenticate(Realm realm, ClientCredentials credentials, String purpose, boolean allowPublic) {
        String realmName = realm.id();
        ClientLookup lookup = clients.lookup(realm.tenant().id(), credentials.clientId());
        Optional<ClientApplication> found = lookup.client();
        boolean basic = credentials.usedBasic();

        if (credentials.secret().isEmpty()) {
            ClientApplication client = found.orElseThrow(() -> OAuthException.invalidClient(lookup.problem()
                    .orElse("unknown client_id '" + credentials.clientId() + "' in tenant " + realm.tenant().id()), basic, realmName));
            if (client.platform().isConfidential()) {
                throw OAuthException.invalidClient("client_secret is required: client '" + client.clientId()
                        + "' is a web (confidential) application", basic, realmName);
            }
            if (!allowPublic) {
                throw OAuthException.unauthorizedClient("client '" + client.clientId() + "' is a " + client.platform().description()
                        + " application; "
                        + purpose + " requires a web (confidential) client with a client_secret");
            }
            return requireEnabled(client, basic, realmName);
        }

        String secret = credentials.secret().get();
        if (found.isEmpty()) {
            hasher.matches(secret, noSuchClient);
            throw OAuthException.invalidClient(lookup.problem()
                    .orElse("client authentication failed: unknown client or wrong secret"), basic, realmName);
        }
        ClientApplication client = found.get();
        if (!client.platform().isConfidential()) {
            throw OAuthException.invalidClient("client '" + client.clientId() + "' is a " + client.platform().description()
                    + " application and has no secret; do not send client_secret", basic, realmName);
        }
        long now = clock.instant().getEpochSecond();
        boolean matchedExpired = false;
        boolean matched = false;
        for (StoredSecret stored : client.secrets()) {
            if (hasher.matches(secret, stored)) {
                if (stored.isExpiredAt(now)) {
                    matchedExpired = true;
                } else {
                    matched = true;
                }
            }
        }
        if (!matched) {
            throw OAuthException.invalidClient(matchedExpired
                    ? "client secret has expired; create a new one for client '" + client.clientId() + "'"
                    : "client authentication failed: unknown client or wrong secret", basic, realmName);
        }
        return requireEnabled(client, basic, realmName);
    }

    private static ClientApplication requireEnabled(ClientApplication client, boolean basic, String realmName) {
        if (!client.enabled()) {
            throw OAuthException.invalidClient("client '" + client.clientId() + "' is disabled", basic, realmName);
        }
        return client;
    }
}
