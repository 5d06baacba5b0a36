package dev.portcullis.egain;

import java.util.List;

/**
 * What a tenant lets anonymous customers have (the tenants file's {@code anonymous_customers}):
 * the delegated scopes they may ask for, their tokens' lifetime, and how many tokens one client
 * address and the whole tenant may get per minute.
 */
public record AnonymousCustomerPolicy(boolean enabled, List<String> scopes, int accessTokenTtl,
                                      int requestsPerMinutePerAddress, int requestsPerMinutePerTenant) {

    /**
     * Shorter than the usual hour: an anonymous token is handed to anyone who asks, so a copied one
     * should not stay useful for long; eGain's SDK fetches a new one when it expires.
     */
    public static final int DEFAULT_ACCESS_TOKEN_TTL = 900;
    /** One visitor's widget needs a token every few minutes at most; 60 leaves room for many tabs behind one NAT. */
    public static final int DEFAULT_REQUESTS_PER_MINUTE_PER_ADDRESS = 60;
    /** 50 new visitors a second per tenant, far above a chat widget's normal load, well below what would strain signing. */
    public static final int DEFAULT_REQUESTS_PER_MINUTE_PER_TENANT = 3000;

    public AnonymousCustomerPolicy {
        scopes = List.copyOf(scopes);
    }
}
