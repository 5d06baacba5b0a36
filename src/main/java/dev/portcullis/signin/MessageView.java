package dev.portcullis.signin;

/** A page with a title and one message: errors and "signed out". */
public record MessageView(String tenantName, String title, String message) {
}
