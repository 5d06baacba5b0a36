package dev.portcullis.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/** A secret's expiry as the tenants file and the CLI write it: a date (midnight UTC) or an instant. */
public final class SecretExpiry {

    public static final String FORMS = "a date (2027-01-31) or an instant (2027-01-31T00:00:00Z)";

    private SecretExpiry() {
    }

    /** The epoch second {@code text} names, or empty when it is neither form. */
    public static OptionalLong parse(String text) {
        try {
            return OptionalLong.of(Instant.parse(text).getEpochSecond());
        } catch (DateTimeParseException e) {
            try {
                return OptionalLong.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toEpochSecond());
            } catch (DateTimeParseException notADate) {
                return OptionalLong.empty();
            }
        }
    }
}
