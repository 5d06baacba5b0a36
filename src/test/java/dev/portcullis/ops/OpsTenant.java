package dev.portcullis.ops;

import java.nio.file.Path;

/** The names and test-only credentials of ops/tenants.yaml, which the drivers use. */
public final class OpsTenant {

    public static final String ID = "OPS";
    public static final String USERS_REALM = "/system/auth/OPS-U";
    public static final String CUSTOMERS_REALM = "/system/auth/OPS-C";
    public static final String REDIRECT_URI = "http://127.0.0.1:9999/callback";

    public static final String WEB = "ops-web";
    public static final String WEB_SECRET = "ops-web-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    public static final String SPA = "ops-spa";
    public static final String ADMIN = "ops-admin";
    public static final String ADMIN_SECRET = "ops-admin-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    public static final String VICTIM_CLIENT = "ops-victim";
    public static final String VICTIM_CLIENT_SECRET = "ops-victim-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    public static final String ROTATING_CLIENT = "ops-rotating";
    public static final String ROTATING_CLIENT_SECRET = "ops-rotating-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    public static final String INITIAL_ACCESS_TOKEN = "ops-initial-access-token-0123456789abcdef";

    public static final String APP_SCOPE = "app.ops.read";
    public static final String OBO_SCOPE = "ops.onbehalfof.read";
    public static final String DELEGATED_SCOPE = "ops.read";

    public static final int USERS = 16;
    public static final String VICTIM_USER = "ops-victim";
    public static final String VICTIM_USER_ID = "victim";
    public static final String VICTIM_PASSWORD = "ops-victim-password-0123456789";
    public static final String THROTTLED_USER = "ops-throttled";
    public static final String THROTTLED_PASSWORD = "ops-throttled-password-0123";
    public static final String CUSTOMER_EMAIL = "ops-customer@example.com";
    public static final String CUSTOMER_PASSWORD = "ops-customer-password-0123456789";

    private OpsTenant() {
    }

    /** ops/tenants.yaml, from the repository root (where the scripts and Maven run). */
    public static Path file() {
        return Path.of("ops", "tenants.yaml").toAbsolutePath();
    }

    /** User {@code n} (1 to {@link #USERS}). */
    public static String user(int n) {
        return String.format("ops-user-%02d", n);
    }

    public static String password(int n) {
        return String.format("ops-password-%02d-0123456789", n);
    }

    public static String tokenPath() {
        return USERS_REALM + "/oauth2/token";
    }
}
