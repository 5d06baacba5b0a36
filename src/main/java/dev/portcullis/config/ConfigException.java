package dev.portcullis.config;

/** A configuration mistake the operator must fix; its message says what and where. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
