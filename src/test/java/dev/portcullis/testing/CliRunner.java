package dev.portcullis.testing;

import dev.portcullis.Main;
import dev.portcullis.admin.AdminCommands;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code portcullis} commands in-process with a configuration file, capturing what they print. */
public final class CliRunner {

    public record Run(int exit, String out, String err) {
    }

    private final Path config;

    public CliRunner(Path config) {
        this.config = config;
    }

    public Run run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs a command with {@code stdin} (when not null) as its standard input, e.g. for {@code --password-stdin}. */
    public Run runWithInput(String stdin, String... args) {
        PrintStream originalOut = System.out;
        InputStream originalIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        if (stdin != null) {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            CommandLine commandLine = new CommandLine(new Main());
            commandLine.setExecutionExceptionHandler(new AdminCommands.FriendlyErrors());
            commandLine.setErr(new PrintWriter(err, true));
            String[] withConfig = Arrays.copyOf(args, args.length + 2);
            withConfig[args.length] = "--config";
            withConfig[args.length + 1] = config.toString();
            return new Run(commandLine.execute(withConfig), out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(originalOut);
            System.setIn(originalIn);
        }
    }

    /** Runs a command that must succeed. */
    public Run ok(String... args) {
        Run run = run(args);
        assertThat(run.exit()).as("exit of %s; err: %s", String.join(" ", args), run.err()).isZero();
        return run;
    }

    /** Runs a command that must fail with one friendly line naming each fragment, no stack trace. */
    public Run fails(String[] args, String... messageContains) {
        return failsWithInput(null, args, messageContains);
    }

    /** {@link #fails} with {@code stdin} as standard input. */
    public Run failsWithInput(String stdin, String[] args, String... messageContains) {
        Run run = runWithInput(stdin, args);
        assertThat(run.exit()).as("exit of %s", String.join(" ", args)).isNotZero();
        assertThat(run.err()).startsWith("error: ").contains(messageContains).doesNotContain("\tat ", "Exception");
        assertThat(run.err().strip().lines()).hasSize(1);
        return run;
    }
}
