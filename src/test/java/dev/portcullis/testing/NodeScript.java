package dev.portcullis.testing;


import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Node.js script of the project run by a test, talking in lines: the test waits for a line with a prefix
 * ("AUTHORIZE ", "RESULT "...) and answers on its standard input. Every line it printed is kept for the failure message.
 */
public final class NodeScript implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final List<String> seen = new ArrayList<>();

    private NodeScript(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Skips the calling test, saying why, unless node runs and {@code directory} has {@code module} installed. */
    public static void assumeInstalled(Path directory, String module) {
        String missing = null;
        try {
            Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                missing = "node does not run";
            }
        } catch (IOException e) {
            missing = "node is not on the PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            missing = "interrupted";
        }
        if (missing == null && !Files.isDirectory(directory.resolve("node_modules").resolve(module))) {
            missing = directory.resolve("node_modules") + " has no " + module;
        }
        if (missing != null) {
            String reason = "skipped: " + missing + "; run scripts/install-test-deps first";
            TestDependencies.missing(reason);
        }
    }

    public static NodeScript start(Path directory, String... arguments) {
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(arguments));
        try {
            return new NodeScript(new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rest of the first line starting with {@code prefix}; the script's end before it fails the test with its output. */
    public String awaitLine(String prefix) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("the script ended without a line starting '" + prefix.trim() + "':\n" + output());
    }

    public void writeLine(String line) {
        try {
            in.write(line + "\n");
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String output() {
        return String.join("\n", seen);
    }

    /** Waits for the script to end by itself; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the script did not end:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
