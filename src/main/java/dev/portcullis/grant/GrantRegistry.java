package dev.portcullis.grant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The grant handlers the token endpoint dispatches to, by grant_type; metadata lists them too. */
public final class GrantRegistry {

    private final Map<String, GrantHandler<?>> handlers = new LinkedHashMap<>();

    public GrantRegistry(List<GrantHandler<?>> handlers) {
        for (GrantHandler<?> handler : handlers) {
            if (this.handlers.put(handler.grantType(), handler) != null) {
                throw new IllegalArgumentException("two handlers for grant_type " + handler.grantType());
            }
        }
    }

    public Optional<GrantHandler<?>> forType(String grantType) {
        return Optional.ofNullable(handlers.get(grantType));
    }

    public List<String> grantTypes() {
        return List.copyOf(handlers.keySet());
    }

    public boolean anyAllowsPublicClients() {
        return handlers.values().stream().anyMatch(GrantHandler::allowsPublicClients);
    }
}
