package dev.portcullis.signin;

import java.util.List;

/**
 * What the consent page shows: the client, the account and each requested scope with its description. For a client
 * described by a metadata document, {@code clientHost} is the host of its client_id (null for a registered client),
 * shown first since the name is whatever the document says; {@code loopbackOnly} warns that every redirect goes to
 * the user's own machine, where any program could be the one asking. {@code selfRegistered}: the client registered
 * itself (RFC 7591), so its name is only its own claim.
 */
public record ConsentView(String tenantName, String clientName, String accountName, List<ScopeLine> scopes, String action,
                          String csrf, String returnTo, String clientHost, boolean loopbackOnly, boolean selfRegistered) {

    public record ScopeLine(String name, String description) {
    }
}
