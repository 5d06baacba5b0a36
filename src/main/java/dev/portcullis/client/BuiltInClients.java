package dev.portcullis.client;

import java.util.Optional;

/**
 * Clients every tenant has without storing them (the web console's): found before the stored ones, so a
 * stored client can never stand in for one. Their ids are reserved by the validators that write clients.
 */
@FunctionalInterface
public interface BuiltInClients {

    BuiltInClients NONE = (tenantId, clientId) -> Optional.empty();

    Optional<ClientApplication> find(String tenantId, String clientId);
}
