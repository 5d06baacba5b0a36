package dev.portcullis.resourceserver;

/**
 * The request's DPoP proof is missing or fails a check (RFC 9449 {@code invalid_dpop_proof}); the message says which.
 * {@code retryLater} marks a good proof refused only because the replay cache is full of live proofs.
 */
final class InvalidDpopProofException extends Exception {

    private final boolean retryLater;

    InvalidDpopProofException(String description) {
        this(description, false);
    }

    InvalidDpopProofException(String description, boolean retryLater) {
        super(description);
        this.retryLater = retryLater;
    }

    boolean retryLater() {
        return retryLater;
    }
}
