package dev.portcullis;

import dev.portcullis.grant.GrantHandler;
import dev.portcullis.token.TokenResponseExtension;
import dev.portcullis.web.ProofOfPossession;
import io.javalin.Javalin;

import java.util.List;
import java.util.Optional;

/**
 * A capability of the server (the core grants, sign-in, token exchange, ...): it builds its parts
 * from the {@link Core} services, then mounts its routes and contributes its grant handlers.
 */
public interface Feature extends AutoCloseable {

    /** Mounts this capability's routes; {@code realmBase} is the path pattern of every realm. */
    default void routes(Javalin app, String realmBase) {
    }

    /** The grant handlers this capability adds to the token endpoint. */
    default List<GrantHandler<?>> grants() {
        return List.of();
    }

    /** What this capability adds to successful token responses (OpenID Connect: the ID token). */
    default List<TokenResponseExtension> tokenResponseExtensions() {
        return List.of();
    }

    /** The proof of possession this capability checks on token requests (DPoP); at most one capability has one. */
    default Optional<ProofOfPossession> proofOfPossession() {
        return Optional.empty();
    }

    /** What to drop when the configuration changes (caches of this capability's own). */
    default List<Runnable> cacheInvalidators() {
        return List.of();
    }

    /** Stops whatever the capability runs in the background; called when the server stops. */
    @Override
    default void close() {
    }
}
