package dev.portcullis.identity;

import com.password4j.Argon2Function;
import com.password4j.Password;
import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Human passwords are hashed with Argon2id (OWASP's minimum: 19 MiB, 2 passes, 1 lane) and kept
 * in PHC string form, so parameters can be raised later without breaking existing hashes.
 *
 * <p>The Argon2 reference implementation (native, through argon2-jvm) does the work where its
 * library loads: it is 1.7x faster than password4j's Java code, and its 19 MiB per hash lives
 * outside the Java heap, where in Java it forced a full collection every few sign-ins. Elsewhere
 * password4j does it. Both read and write the same PHC strings.
 *
 * <p>Each hash holds its memory and a core for tens of milliseconds, so they run on one thread
 * per core: memory stays bounded however many sign-ins arrive at once, and a flood of them queues
 * here instead of exhausting the process. A caller that cannot get a turn within
 * {@link #QUEUE_TIMEOUT_SECONDS} gets {@link Busy}.
 */
public final class PasswordHasher {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordHasher.class);
    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    static final long QUEUE_TIMEOUT_SECONDS = 10;
    /**
     * Hashes run on these threads only, one per core: native memory is allocated per thread arena,
     * so a hash on any request thread would leave 19 MiB behind in each of them.
     */
    private static final ExecutorService HASHING = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), runnable -> {
                Thread thread = new Thread(runnable, "portcullis-argon2");
                thread.setDaemon(true);
                return thread;
            });
    private static final Optional<Argon2> NATIVE = loadNative();
    private static final Argon2Function JAVA_ARGON2ID = Argon2Function.getInstance(MEMORY_KIB, ITERATIONS, PARALLELISM, 32,
            com.password4j.types.Argon2.ID);

    /** Too many password checks are waiting; the caller should answer "try again shortly". */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("password hashing is saturated", null, false, false);
        }
    }

    private PasswordHasher() {
    }

    public static String hash(String password) {
        return inTurn(() -> NATIVE.map(argon2 -> {
            char[] chars = password.toCharArray();
            try {
                return argon2.hash(ITERATIONS, MEMORY_KIB, PARALLELISM, chars);
            } finally {
                Arrays.fill(chars, '\0');
            }
        }).orElseGet(() -> Password.hash(password).addRandomSalt(16).with(JAVA_ARGON2ID).getResult()));
    }

    public static boolean verify(String password, String phcHash) {
        if (phcHash == null || !phcHash.startsWith("$argon2")) {
            return false;
        }
        return inTurn(() -> NATIVE.map(argon2 -> {
            char[] chars = password.toCharArray();
            try {
                return argon2.verify(phcHash, chars);
            } finally {
                Arrays.fill(chars, '\0');
            }
        }).orElseGet(() -> Password.check(password, phcHash).with(Argon2Function.getInstanceFromHash(phcHash))));
    }

    /**
     * A fixed hash to verify against when the account is unknown, so both cases take as long.
     * It lives in its own class so it is made after this class is initialised: the hashing
     * threads read this class's fields, and would wait forever for a static initialiser
     * that waits for them.
     */
    private static final class Dummy {
        static final String HASH = hash("portcullis-dummy-password");
    }

    /** Spends the same time as a real verification and always fails. */
    public static boolean verifyAgainstDummy(String password) {
        verify(password, Dummy.HASH);
        return false;
    }

    /** Which implementation hashes passwords in this process. */
    public static String implementation() {
        return NATIVE.isPresent() ? "native Argon2 reference implementation" : "password4j (Java)";
    }

    private static Optional<Argon2> loadNative() {
        if ("false".equalsIgnoreCase(System.getenv("PORTCULLIS_NATIVE_ARGON2"))) {
            return Optional.empty();
        }
        try {
            Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
            // Prove it works, and writes hashes the Java implementation reads, before trusting it.
            String probe = argon2.hash(1, 64, 1, "probe".toCharArray());
            if (!Password.check("probe", probe).with(Argon2Function.getInstanceFromHash(probe))) {
                throw new IllegalStateException("native and Java Argon2 disagree");
            }
            return Optional.of(argon2);
        } catch (Throwable e) {
            LOG.warn("Hashing passwords with password4j: the native Argon2 library did not load ({})", e.toString());
            return Optional.empty();
        }
    }

    private static <T> T inTurn(Supplier<T> work) {
        Future<T> result = HASHING.submit(work::get);
        try {
            return result.get(QUEUE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            throw new Busy();
        } catch (InterruptedException e) {
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new Busy();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("password hashing failed", e.getCause());
        }
    }
}
