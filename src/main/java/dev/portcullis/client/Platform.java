package dev.portcullis.client;

import java.util.Optional;

/** Web applications are confidential clients holding secrets; single-page applications are public. */
public enum Platform {
    WEB("web"),
    SPA("spa");

    private final String label;

    Platform(String label) {
        this.label = label;
    }

    public String label() {
        return label;
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
