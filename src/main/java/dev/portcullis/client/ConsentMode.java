package dev.portcullis.client;

import java.util.Optional;

/** Whether users are asked to consent to a client; first-party clients registered with {@code consent: skip} never ask. */
public enum ConsentMode {
    REQUIRED("required"),
    SKIP("skip");

    private final String label;

    ConsentMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<ConsentMode> fromLabel(String label) {
        for (ConsentMode mode : values()) {
            if (mode.label.equals(label)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
