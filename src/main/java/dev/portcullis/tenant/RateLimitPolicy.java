package dev.portcullis.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A tenant's request rate limits (the tenants file's {@code rate_limits}), each in requests per minute from one
 * key, 0 for none: token requests per authenticated client and per client address, authorization requests and
 * sign-in form posts per client address. Off by default: the right numbers depend on the deployment, and an
 * address limit behind a proxy not listed in {@code trusted_proxies} would count every client as one address.
 */
public record RateLimitPolicy(int tokenPerClient, int tokenPerAddress, int authorizePerAddress, int loginPerAddress) {

    public static final RateLimitPolicy NONE = new RateLimitPolicy(0, 0, 0, 0);
    /** The highest limit a tenant may set: beyond it a limit would no longer limit anything on one instance. */
    public static final int MOST_PER_MINUTE = 10_000_000;

    /** The columns of the tenants table, read by name so that other settings' columns may move around them. */
    public static final String COLUMNS = "rate_token_per_client, rate_token_per_address, rate_authorize_per_address, "
            + "rate_login_per_address";

    public static RateLimitPolicy read(ResultSet row) throws SQLException {
        return new RateLimitPolicy(row.getInt("rate_token_per_client"), row.getInt("rate_token_per_address"),
                row.getInt("rate_authorize_per_address"), row.getInt("rate_login_per_address"));
    }
}
