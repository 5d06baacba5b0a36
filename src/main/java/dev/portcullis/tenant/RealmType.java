package dev.portcullis.tenant;

import java.util.Optional;

/** The two realms of a tenant: agents sign in at {TENANT}-U, customers at {TENANT}-C. */
public enum RealmType {
    USER("U"),
    CUSTOMER("C");

    private final String suffix;

    RealmType(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }

    public String databaseValue() {
        return suffix;
    }

    public static Optional<RealmType> fromSuffix(String suffix) {
        for (RealmType type : values()) {
            if (type.suffix.equals(suffix)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
