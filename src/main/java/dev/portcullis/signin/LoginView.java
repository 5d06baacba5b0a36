package dev.portcullis.signin;

/** What the login page shows; {@code error} is null when there is none. */
public record LoginView(String tenantName, String realmLabel, String clientName, String action, String csrf, String returnTo,
                        String identifierLabel, String identifierName, String identifierType, String identifierValue,
                        String error) {
}
