package dev.portcullis.token;

/** Who a token speaks for: eGain's six actor types, carried in the {@code actor_type} claim. */
public enum ActorType {
    USER("user"),
    CUSTOMER("customer"),
    ANONYMOUS_CUSTOMER("anonymous_customer"),
    CLIENT_APP("client_app"),
    CLIENT_ON_BEHALF_OF_USER("client_on_behalf_of_user"),
    CLIENT_ON_BEHALF_OF_CUSTOMER("client_on_behalf_of_customer");

    private final String claim;

    ActorType(String claim) {
        this.claim = claim;
    }

    public String claim() {
        return claim;
    }

    /** The actor type an {@code actor_type} claim names. */
    public static java.util.Optional<ActorType> fromClaim(String claim) {
        for (ActorType type : values()) {
            if (type.claim.equals(claim)) {
                return java.util.Optional.of(type);
            }
        }
        return java.util.Optional.empty();
    }

    /** The actor of a user or customer who signed in themselves. */
    public static ActorType signedIn(dev.portcullis.tenant.RealmType realm) {
        return realm == dev.portcullis.tenant.RealmType.USER ? USER : CUSTOMER;
    }

    /** The actor of a client acting for a user or customer of that realm. */
    public static ActorType onBehalfOf(dev.portcullis.tenant.RealmType realm) {
        return realm == dev.portcullis.tenant.RealmType.USER ? CLIENT_ON_BEHALF_OF_USER : CLIENT_ON_BEHALF_OF_CUSTOMER;
    }
}
