package dev.portcullis.tenant;

import java.util.Optional;

/** eGain's three scope families; each grant accepts exactly one of them. */
public enum ScopeKind {
    APPLICATION("application"),
    DELEGATED("delegated"),
    ON_BEHALF_OF("on-behalf-of");

    private final String label;

    ScopeKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<ScopeKind> fromLabel(String label) {
        for (ScopeKind kind : values()) {
            if (kind.label.equals(label)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
