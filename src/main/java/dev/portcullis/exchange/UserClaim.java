package dev.portcullis.exchange;

import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.tenant.RealmType;

import java.util.Optional;

/** Which claim of an external token names the Portcullis user or customer, and what it is matched against. */
public enum UserClaim {
    EMAIL("email", SubjectLookup.By.EMAIL),
    PREFERRED_USERNAME("preferred_username", SubjectLookup.By.USERNAME),
    SUB("sub", SubjectLookup.By.USER_ID);

    private final String claim;
    private final SubjectLookup.By lookup;

    UserClaim(String claim, SubjectLookup.By lookup) {
        this.claim = claim;
        this.lookup = lookup;
    }

    public String claim() {
        return claim;
    }

    public SubjectLookup.By lookup() {
        return lookup;
    }

    /** Customers have no username, so preferred_username can only identify users. */
    public boolean appliesTo(RealmType realm) {
        return this != PREFERRED_USERNAME || realm == RealmType.USER;
    }

    /** What the claim is matched against, for messages: the user's email, username or id. */
    public String matchedField() {
        return switch (this) {
            case EMAIL -> "email";
            case PREFERRED_USERNAME -> "username";
            case SUB -> "id";
        };
    }

    public static Optional<UserClaim> fromClaim(String claim) {
        for (UserClaim value : values()) {
            if (value.claim.equals(claim)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
