package dev.portcullis.identity;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The roles a user (realm U) may hold for the admin API. A Partition Administrator manages its own
 * tenant; a System Administrator manages every tenant, and exists only in the tenant reserved for
 * system administration, so that no partition's own users can grant themselves power over the others.
 */
public enum AdminRole {
    PARTITION_ADMIN("partition_admin"),
    SYSTEM_ADMIN("system_admin");

    /** The tenant whose users administer the whole server; bootstrap-admin creates it when missing. */
    public static final String SYSTEM_TENANT = "system";
    public static final String SYSTEM_TENANT_NAME = "System administration";

    private final String label;

    AdminRole(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<AdminRole> fromLabel(String label) {
        return Arrays.stream(values()).filter(role -> role.label.equals(label)).findFirst();
    }

    /** "partition_admin, system_admin": for messages that list the known roles. */
    public static String labels() {
        return Arrays.stream(values()).map(AdminRole::label).collect(Collectors.joining(", "));
    }

    public boolean allowedIn(String tenantId) {
        return this != SYSTEM_ADMIN || SYSTEM_TENANT.equals(tenantId);
    }

    /** Why a user of {@code tenantId} may not hold the role named {@code label}, if it may not. */
    public static Optional<String> problem(String label, String tenantId) {
        Optional<AdminRole> role = fromLabel(label);
        if (role.isEmpty()) {
            return Optional.of("unknown role '" + label + "' (known roles: " + labels() + ")");
        }
        if (!role.get().allowedIn(tenantId)) {
            return Optional.of("role " + label + " is only for users of tenant " + SYSTEM_TENANT + ", not of tenant " + tenantId
                    + " (use partition_admin to manage one tenant)");
        }
        return Optional.empty();
    }
}
