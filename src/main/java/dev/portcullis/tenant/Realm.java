package dev.portcullis.tenant;

import java.util.Optional;
import java.util.regex.Pattern;

/** One realm of one tenant, addressed as {@code /system/auth/{TENANT}-{U|C}}; each is its own issuer. */
public record Realm(Tenant tenant, RealmType type) {

    private static final Pattern REALM_ID = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_-]{0,63})-([UC])");

    /** The path segment naming a realm, e.g. {@code TMPRODB88619984-U}. */
    public String id() {
        return tenant.id() + "-" + type.suffix();
    }

    public String basePath() {
        return "/system/auth/" + id();
    }

    public String issuer(String publicUrl) {
        return publicUrl + basePath();
    }

    /** Splits a realm path segment into tenant id and realm type, if it has that shape. */
    public static Optional<Reference> parse(String realmId) {
        var matcher = REALM_ID.matcher(realmId);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Reference(matcher.group(1), RealmType.fromSuffix(matcher.group(2)).orElseThrow()));
    }

    public record Reference(String tenantId, RealmType type) {
    }
}
