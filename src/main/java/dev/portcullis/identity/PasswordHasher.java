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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
 * per core: memory stays bounded however many sign-ins arrive at once. The queue in front of them
 * is bounded twice ({@link #limit}): at most {@code queue} callers hash or wait at once, the next
 * one gets {@link Busy} at once; and a caller whose hash is not done within {@code maxWait} gets
 * {@link Busy} then. Each waiting caller holds an HTTP thread, so the first bound is what keeps a
 * flood of sign-ins from taking every thread from the requests that hash nothing (token grants).
 */
public final class PasswordHasher {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordHasher.class);
    static final int MEMORY_KIB = 19_456;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    /** The defaults for a process that does not call {@link #limit} (the CLI): generous, one caller at a time there. */
    static final int DEFAULT_QUEUE = 32;
    static final long DEFAULT_MAX_WAIT_MILLIS = 3_000;
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

    /** The bounds in force: a new pair replaces the old, and callers admitted under the old release it. */
    private record Admission(Semaphore slots, int queue, long maxWaitMillis) {
    }

    private static volatile Admission admission = new Admission(new Semaphore(DEFAULT_QUEUE), DEFAULT_QUEUE, DEFAULT_MAX_WAIT_MILLIS);
    private static final AtomicLong REFUSED = new AtomicLong();

    private PasswordHasher() {
    }

    public static String hash(String password) {
        return inTurn(() -> hashNow(password));
    }

    private static String hashNow(String password) {
        return NATIVE.map(argon2 -> {
            char[] chars = password.toCharArray();
            try {
                return argon2.hash(ITERATIONS, MEMORY_KIB, PARALLELISM, chars);
            } finally {
                Arrays.fill(chars, '\0');
            }
        }).orElseGet(() -> Password.hash(password).addRandomSalt(16).with(JAVA_ARGON2ID).getResult());
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
        /** Past the admission bounds: a refusal here would fail the class's initialisation for good. */
        static final String HASH = hashUnbounded("portcullis-dummy-password");
    }

    /**
     * A hash on the hashing threads without the admission bounds, for {@link Dummy}. It is here, not in Dummy:
     * the task's code must belong to an initialised class, or the hashing thread would wait for Dummy's
     * initialiser, which waits for it.
     */
    private static String hashUnbounded(String password) {
        try {
            return HASHING.submit(() -> hashNow(password)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("password hashing failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the dummy hash", e);
        }
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

    /**
     * Bounds the queue in front of the hashing threads: at most {@code queue} callers hash or wait at once
     * (the next is refused at once), and none waits more than {@code maxWaitMillis} for its result. The
     * server sets them from {@code password_hash_queue} and {@code password_hash_max_wait_ms}; the
     * hashing threads are the process's, so the last call wins.
     */
    public static void limit(int queue, long maxWaitMillis) {
        if (queue < 1 || maxWaitMillis < 1) {
            throw new IllegalArgumentException("queue and wait must be positive");
        }
        admission = new Admission(new Semaphore(queue), queue, maxWaitMillis);
    }

    /** Callers hashing or waiting to, now: at {@link #queueLimit()} the next one is refused. */
    public static int inFlight() {
        Admission current = admission;
        return current.queue() - current.slots().availablePermits();
    }

    public static int queueLimit() {
        return admission.queue();
    }

    /** Callers refused since the process started, for the metrics. */
    public static long refused() {
        return REFUSED.get();
    }

    private static <T> T inTurn(Supplier<T> work) {
        Admission current = admission;
        if (!current.slots().tryAcquire()) {
            REFUSED.incrementAndGet();
            throw new Busy();
        }
        Future<T> result = HASHING.submit(work::get);
        try {
            return result.get(current.maxWaitMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // a cancelled task left in the executor's queue does nothing when its turn comes
            result.cancel(false);
            REFUSED.incrementAndGet();
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
        } finally {
            current.slots().release();
        }
    }
}
