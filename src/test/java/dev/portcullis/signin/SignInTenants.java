package dev.portcullis.signin;

/** A tenant configured like the PKCE seed, plus a web client, for sign-in tests. */
final class SignInTenants {

    static final String TENANT = "TMPRODB88619984";
    static final String SPA = "b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f";
    static final String WEB = "5e0c8a39-5a8c-4bd0-9f57-2a0d3c0d9a11";
    static final String WEB_SECRET = "web-client-secret-0123456789abcdefghij";
    static final String SEED_REDIRECT = "https://oauth.pstmn.io/v1/callback";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    static final String YAML = """
            tenants:
              - id: TMPRODB88619984
                name: Seed partition
                refresh_token_idle_ttl: 3600
                refresh_token_absolute_ttl: 86400
                scopes:
                  - { name: core.aiservices.read, kind: delegated, description: Read AI services }
                  - { name: core.aiservices.write, kind: delegated, description: Use AI services }
                  - { name: knowledge.portalmgr.onbehalfof.read, kind: on-behalf-of }
                users:
                  - { id: "1001", username: pa, email: pa@example.com, password: "pa-password-123" }
                  - { id: "1002", username: disabled, password: "pa-password-123", enabled: false }
                customers:
                  - { id: "c-2001", email: jane@example.com, password: "jane-password-123" }
                clients:
                  - client_id: b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f
                    name: Seed SPA
                    platform: spa
                    scopes: [ core.aiservices.read, core.aiservices.write ]
                    redirect_uris: [ "https://oauth.pstmn.io/v1/callback" ]
                  - client_id: 5e0c8a39-5a8c-4bd0-9f57-2a0d3c0d9a11
                    name: Web portal
                    platform: web
                    secrets: [ "web-client-secret-0123456789abcdefghij" ]
                    consent: skip
                    scopes: [ core.aiservices.read, core.aiservices.write ]
                    redirect_uris: [ "https://app.example.com/callback" ]
            """;

    /** The seed document's example authorization URL, path and query exactly as published. */
    static String seedAuthorizePath(String realmSuffix) {
        return "/system/auth/TMPRODB88619984-" + realmSuffix + "/oauth2/authorize?client_id=b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f"
                + "&response_type=code&redirect_uri=https%3A%2F%2Foauth.pstmn.io%2Fv1%2Fcallback"
                + "&scope=core.aiservices.read%20core.aiservices.write&state=a1b2c3d4e5f67890"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
    }

    static String webAuthorizePath() {
        return "/system/auth/TMPRODB88619984-U/oauth2/authorize?client_id=" + WEB
                + "&response_type=code&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&scope=core.aiservices.read&state=s1";
    }

    private SignInTenants() {
    }
}
