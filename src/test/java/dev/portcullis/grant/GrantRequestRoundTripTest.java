package dev.portcullis.grant;

import dev.portcullis.protocol.FormParameters;
import dev.portcullis.tenant.Realm;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.Tenant;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each grant's request object survives toParameters and parse unchanged (the Nimbus-style symmetry). */
class GrantRequestRoundTripTest {

    private static final Realm USERS = new Realm(new Tenant("T1", "Tenant", 3600, true, Map.of(), Tenant.RefreshPolicy.DEFAULT), RealmType.USER);
    private static final Realm CUSTOMERS = new Realm(USERS.tenant(), RealmType.CUSTOMER);

    @Test
    void onBehalfOfRequestsRoundTripInBothRealms() {
        OnBehalfOfRequest user = OnBehalfOfRequest.parse(FormParameters.of(Map.of("grant_type", "password",
                "scope", "b.read a.read", "subject_userid", "1001")), USERS);
        assertThat(OnBehalfOfRequest.parse(FormParameters.of(user.toParameters()), USERS)).isEqualTo(user);
        assertThat(user.toParameters()).containsEntry("scope", "b.read a.read").containsEntry("subject_userid", "1001");

        OnBehalfOfRequest customer = OnBehalfOfRequest.parse(FormParameters.of(Map.of("grant_type", "password",
                "scope", "a.read", "subject_email", "Jane@Example.com")), CUSTOMERS);
        assertThat(OnBehalfOfRequest.parse(FormParameters.of(customer.toParameters()), CUSTOMERS)).isEqualTo(customer);
    }

    @Test
    void clientCredentialsAuthorizationCodeAndRefreshRequestsRoundTrip() {
        ClientCredentialsRequest cc = ClientCredentialsRequest.parse(FormParameters.of(Map.of("scope", "app.read")));
        assertThat(ClientCredentialsRequest.parse(FormParameters.of(cc.toParameters()))).isEqualTo(cc);

        AuthorizationCodeRequest code = AuthorizationCodeRequest.parse(FormParameters.of(Map.of("code", "abc",
                "redirect_uri", "https://app.example.com/cb", "code_verifier", "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")));
        assertThat(AuthorizationCodeRequest.parse(FormParameters.of(code.toParameters()))).isEqualTo(code);

        RefreshTokenRequest narrowed = RefreshTokenRequest.parse(FormParameters.of(Map.of("refresh_token", "r", "scope", "a.read")));
        assertThat(RefreshTokenRequest.parse(FormParameters.of(narrowed.toParameters()))).isEqualTo(narrowed);
        RefreshTokenRequest plain = RefreshTokenRequest.parse(FormParameters.of(Map.of("refresh_token", "r")));
        assertThat(plain.toParameters()).doesNotContainKey("scope");
        assertThat(RefreshTokenRequest.parse(FormParameters.of(plain.toParameters()))).isEqualTo(plain);
    }
}
