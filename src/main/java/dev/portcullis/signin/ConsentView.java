package dev.portcullis.signin;

import java.util.List;

/**
 * What the consent page shows: the client, the account and each requested scope with its description. For a client
 * described by a metadata document, {@code clientHost} is the host of its client_id (null for a registered client),
 * shown first since the name is whatever the document says; {@code loopbackOnly} warns that every redirect goes to
 * the user's own machine, where any program could be the one asking.
 */
public record ConsentView(String tenantName, String clientName, String accountName, List<ScopeLine> scopes, String action,
                          String csrf, String returnTo, String clientHost, boolean loopbackOnly) {

    public record ScopeLine(String name, String description) {
    }
}
