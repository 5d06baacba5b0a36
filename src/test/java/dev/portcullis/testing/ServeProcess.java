package dev.portcullis.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code portcullis serve} in its own JVM, as an operator starts it: the real start-up path, the
 * process's environment and working directory, its exit code and its console output.
 */
public final class ServeProcess implements AutoCloseable {

    private static final Pattern MANAGEMENT = Pattern.compile("Management \\(.*\\) on http://[^:]+:(\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();

    private ServeProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                output.append("(output unreadable: ").append(e).append(")\n");
            }
        }, "serve-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code serve ARGS} in {@code directory} with only {@code env} as its PORTCULLIS_* settings. */
    public static ServeProcess start(Path directory, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx192m",
                "-cp", System.getProperty("java.class.path"), "dev.portcullis.Main", "serve"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(key -> key.startsWith("PORTCULLIS_"));
        builder.environment().putAll(env);
        try {
            return new ServeProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output contains {@code text}; false if the process exits or time runs out first. */
    public boolean awaitOutput(String text, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (output.indexOf(text) >= 0) {
                return true;
            }
            if (!process.isAlive()) {
                Thread.sleep(200); // let the reader drain the last lines
                return output.indexOf(text) >= 0;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The exit code, or empty if the process is still running after the timeout. */
    public java.util.OptionalInt awaitExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            return java.util.OptionalInt.empty();
        }
        Thread.sleep(200);
        return java.util.OptionalInt.of(process.exitValue());
    }

    public String output() {
        return output.toString();
    }

    /** The management port the server logged at start. */
    public int managementPort() {
        Matcher matcher = MANAGEMENT.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no management port in the output:\n" + output);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** Stops it as an operator would (SIGTERM, which runs the shutdown hook), killing it if that hangs. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
