package dev.portcullis.client;

import java.util.Optional;

/**
 * eGain's three platforms. Web applications are confidential clients holding secrets; single-page
 * and native applications ("Public Client/Native" in eGain's console) are public: no secret, PKCE.
 */
public enum Platform {
    WEB("web", "web (confidential)"),
    SPA("spa", "single-page (public)"),
    NATIVE("native", "native (public)");

    private final String label;
    private final String description;

    Platform(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    /** How error messages name the platform, e.g. "native (public)". */
    public String description() {
        return description;
    }

    public boolean isConfidential() {
        return this == WEB;
    }

    public static Optional<Platform> fromLabel(String label) {
        for (Platform platform : values()) {
            if (platform.label.equals(label)) {
                return Optional.of(platform);
            }
        }
        return Optional.empty();
    }
}
