package dev.portcullis.identity;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Human passwords are hashed with Argon2id (OWASP's minimum: 19 MiB, 2 passes, 1 lane) and kept
 * in PHC string form, so parameters can be raised later without breaking existing hashes.
 */
public final class PasswordHasher {

    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
    /** A fixed hash to verify against when the account is unknown, so both cases take as long. */
    private static final String DUMMY_HASH = hash("portcullis-dummy-password");

    private PasswordHasher() {
    }

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    public static boolean verify(String password, String phcHash) {
        if (phcHash == null || !phcHash.startsWith("$argon2")) {
            return false;
        }
        return Password.check(password, phcHash).with(Argon2Function.getInstanceFromHash(phcHash));
    }

    /** Spends the same time as a real verification and always fails. */
    public static boolean verifyAgainstDummy(String password) {
        verify(password, DUMMY_HASH);
        return false;
    }
}
