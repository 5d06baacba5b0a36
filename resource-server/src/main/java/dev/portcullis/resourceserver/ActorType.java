package dev.portcullis.resourceserver;

import java.util.Optional;

/** Who a token speaks for, in eGain's model: the value of its {@code actor_type} claim. */
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

    /** The claim value, e.g. {@code client_on_behalf_of_user}. */
    public String claim() {
        return claim;
    }

    public static Optional<ActorType> fromClaim(String claim) {
        for (ActorType type : values()) {
            if (type.claim.equals(claim)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
