package dev.portcullis.client;

import java.util.Optional;

/**
 * What looking a client id up found: the client, or nothing with, where there is one worth telling the caller,
 * the reason (a metadata document that could not be fetched or used says why, an unknown id says nothing more).
 */
public record ClientLookup(Optional<ClientApplication> client, Optional<String> problem) {

    public static final ClientLookup UNKNOWN = new ClientLookup(Optional.empty(), Optional.empty());

    public static ClientLookup of(Optional<ClientApplication> client) {
        return client.isPresent() ? new ClientLookup(client, Optional.empty()) : UNKNOWN;
    }

    public static ClientLookup found(ClientApplication client) {
        return new ClientLookup(Optional.of(client), Optional.empty());
    }

    public static ClientLookup refused(String problem) {
        return new ClientLookup(Optional.empty(), Optional.of(problem));
    }
}
