package dev.portcullis.testing;

/** The two stores every persistence-sensitive test runs against. */
public enum StoreKind {
    SQLITE,
    POSTGRES
}
