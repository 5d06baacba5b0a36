package dev.portcullis.signin;

import java.util.List;

/** What the consent page shows: the client, the account and each requested scope with its description. */
public record ConsentView(String tenantName, String clientName, String accountName, List<ScopeLine> scopes, String action,
                          String csrf, String returnTo) {

    public record ScopeLine(String name, String description) {
    }
}
