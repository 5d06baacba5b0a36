package dev.portcullis.signin;

import java.util.List;

/**
 * What the consent page shows: the client, the account and each requested scope with its description.
 * {@code selfRegistered}: the client registered itself (RFC 7591), so its name is only its own claim.
 */
public record ConsentView(String tenantName, String clientName, String accountName, List<ScopeLine> scopes, String action,
                          String csrf, String returnTo, boolean selfRegistered) {

    public record ScopeLine(String name, String description) {
    }
}
