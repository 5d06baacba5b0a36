package dev.portcullis.resourceserver;

/**
 * A trusted issuer's metadata or keys could not be fetched, so no token of it can be checked now. This is
 * the API's trouble, not the caller's: it answers 503, not 401, so clients do not throw valid tokens away.
 */
public final class IssuerUnavailableException extends Exception {

    public IssuerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
