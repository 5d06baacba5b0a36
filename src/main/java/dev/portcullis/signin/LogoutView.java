package dev.portcullis.signin;

/**
 * The logout confirmation page. {@code clientName}, {@code clientId}, {@code postLogoutRedirectUri}
 * and {@code state} are null when the request did not carry them (or named no registered return).
 */
public record LogoutView(String tenantName, String action, String csrf, String clientName, String clientId,
                         String postLogoutRedirectUri, String state) {
}
