package dev.portcullis.testing;

/**
 * A tenant with one client per situation the token endpoint must tell apart, shared by the
 * token endpoint tests. The secrets are test values of at least 32 characters.
 */
public final class AcmeTenant {

    public static final String TENANT = "ACME";
    public static final String U = "/system/auth/ACME-U/oauth2/token";
    public static final String C = "/system/auth/ACME-C/oauth2/token";

    public static final String OBO_CLIENT = "obo-client";
    public static final String OBO_SECRET = "obo-secret-0123456789abcdefghijklmnop";
    public static final String APP_CLIENT = "app-client";
    public static final String APP_SECRET = "app-secret-0123456789abcdefghijklmnop";
    public static final String EXPIRED_CLIENT = "expired-client";
    public static final String EXPIRED_SECRET = "expired-secret-0123456789abcdefghijk";
    public static final String ROTATED_SECRET = "rotated-secret-0123456789abcdefghijk";
    public static final String DISABLED_CLIENT = "disabled-client";
    public static final String DISABLED_SECRET = "disabled-secret-0123456789abcdefghij";
    public static final String SPA_CLIENT = "spa-client";
    public static final String BASIC_CLIENT = "basic.client~1";
    /** The secret needs RFC 6749 2.3.1 form-encoding before base64: '+', '/', ':', '%', ' ' and '&'. */
    public static final String BASIC_SECRET = "p+l/u:s%25 and&space=0123456789abcdefXYZ";

    public static final String YAML = """
            tenants:
              - id: ACME
                name: Acme
                access_token_ttl: 1800
                scopes:
                  - { name: obo.read, kind: on-behalf-of }
                  - { name: obo.write, kind: on-behalf-of }
                  - { name: obo.unassigned, kind: on-behalf-of }
                  - { name: app.read, kind: application }
                  - { name: app.write, kind: application }
                  - { name: deleg.read, kind: delegated }
                users:
                  - { id: "1001", username: Alice, email: alice@example.com }
                  - { id: "1002", username: bob, enabled: false }
                customers:
                  - { id: "c-1", email: Jane.Doe@Example.com }
                  - { id: "c-2", email: gone@example.com, enabled: false }
                clients:
                  - client_id: obo-client
                    name: OBO client
                    platform: web
                    secrets: [ "obo-secret-0123456789abcdefghijklmnop" ]
                    scopes: [ obo.read, obo.write, app.read, deleg.read ]
                  - client_id: app-client
                    name: App client
                    platform: web
                    access_token_ttl: 600
                    secrets: [ "app-secret-0123456789abcdefghijklmnop" ]
                    scopes: [ app.read, app.write, obo.read ]
                  - client_id: expired-client
                    name: Expired secret
                    platform: web
                    secrets:
                      - { value: "expired-secret-0123456789abcdefghijk", expires_at: 2020-01-01 }
                      - { value: "rotated-secret-0123456789abcdefghijk" }
                    scopes: [ app.read ]
                  - client_id: disabled-client
                    name: Disabled
                    platform: web
                    enabled: false
                    secrets: [ "disabled-secret-0123456789abcdefghij" ]
                    scopes: [ app.read, obo.read ]
                  - client_id: spa-client
                    name: SPA
                    platform: spa
                    scopes: [ app.read, obo.read, deleg.read ]
                  - client_id: "basic.client~1"
                    name: Basic with awkward characters
                    platform: web
                    secrets: [ "p+l/u:s%25 and&space=0123456789abcdefXYZ" ]
                    scopes: [ app.read, obo.read ]
              - id: OTHER
                name: Other tenant
                scopes:
                  - { name: app.read, kind: application }
            """;

    private AcmeTenant() {
    }
}
