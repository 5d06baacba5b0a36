package dev.portcullis;

import dev.portcullis.admin.AdminCommands;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code portcullis selftest} starts a throwaway server and checks each non-interactive grant over HTTP. */
class SelfTestCommandTest {

    @Test
    void selftestPassesAndSaysWhatItChecked() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exit;
        try {
            CommandLine commandLine = new CommandLine(new Main());
            commandLine.setExecutionExceptionHandler(new AdminCommands.FriendlyErrors());
            exit = commandLine.execute("selftest");
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output).contains("selftest: On-Behalf-Of token: ok", "selftest: Client Credentials token: ok",
                "selftest: refusal of a wrong secret: ok", "selftest: ok");
    }
}
