package dev.portcullis.identity;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Human passwords are hashed with Argon2id (OWASP's minimum: 19 MiB, 2 passes, 1 lane) and kept
 * in PHC string form, so parameters can be raised later without breaking existing hashes.
 *
 * <p>Each hash holds 19 MiB and a core for tens of milliseconds, so at most one runs per core:
 * memory stays bounded however many sign-ins arrive at once, and a flood of them queues here
 * instead of exhausting the heap. A caller that cannot get a turn within {@link #QUEUE_TIMEOUT_SECONDS}
 * gets {@link Busy}.
 */
public final class PasswordHasher {

    static final long QUEUE_TIMEOUT_SECONDS = 10;
    private static final Semaphore TURNS = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
    /** A fixed hash to verify against when the account is unknown, so both cases take as long. */
    private static final String DUMMY_HASH = hash("portcullis-dummy-password");

    /** Too many password checks are waiting; the caller should answer "try again shortly". */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("password hashing is saturated", null, false, false);
        }
    }

    private PasswordHasher() {
    }

    public static String hash(String password) {
        return inTurn(() -> Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult());
    }

    public static boolean verify(String password, String phcHash) {
        if (phcHash == null || !phcHash.startsWith("$argon2")) {
            return false;
        }
        return inTurn(() -> Password.check(password, phcHash).with(Argon2Function.getInstanceFromHash(phcHash)));
    }

    /** Spends the same time as a real verification and always fails. */
    public static boolean verifyAgainstDummy(String password) {
        verify(password, DUMMY_HASH);
        return false;
    }

    private static <T> T inTurn(Supplier<T> work) {
        try {
            if (!TURNS.tryAcquire(QUEUE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new Busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        }
        try {
            return work.get();
        } finally {
            TURNS.release();
        }
    }
}
