package dev.portcullis.tenant;

/** A scope a tenant defines: its name, family and the description shown on consent pages. */
public record ScopeDefinition(String name, ScopeKind kind, String description) {
}
