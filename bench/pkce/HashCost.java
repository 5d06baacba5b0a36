import dev.portcullis.identity.PasswordHasher;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The CPU cost of one password verification as Portcullis does it at sign-in ({@code PasswordHasher.verify}:
 * Argon2id at OWASP's parameters, on its hashing thread), for bench/run's "sign-in CPU outside the hash" target.
 * Runs with the server's jar on the class path, one verification at a time:
 * {@code java -cp target/portcullis.jar bench/pkce/HashCost.java [COUNT]}. Prints one JSON line: the process CPU
 * per verification (all threads; the JVM is otherwise idle after the warm-up) and the wall time per verification.
 */
public final class HashCost {
    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        String password = "bench-password-123";
        String phc = PasswordHasher.hash(password);
        for (int i = 0; i < 5; i++) {
            check(PasswordHasher.verify(password, phc));
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            check(PasswordHasher.verify(password, phc));
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        String parameters = phc.substring(0, phc.indexOf('$', phc.indexOf("m=")));
        System.out.printf(Locale.ROOT, "{\"count\":%d,\"cpu_ms_per_hash\":%.3f,\"wall_ms_per_hash\":%.3f,"
                        + "\"implementation\":\"%s\",\"parameters\":\"%s\"}%n", count, cpu / 1e6 / count, wall / 1e6 / count,
                PasswordHasher.implementation(), parameters);
        System.exit(0);
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("the password did not verify");
        }
    }
}
