package dev.portcullis.admin;

import dev.portcullis.config.ServerConfig;
import dev.portcullis.store.Database;
import dev.portcullis.store.PrivateFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code portcullis export --tenant T}: writes tenants as a tenants file, without secret values or (unless asked) password hashes. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write tenants as a tenants file that applies back without a change (no secret values).")
public final class ExportCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "A tenant to export; repeat for several.")
    List<String> tenants;

    @Option(names = "--include-password-hashes", description = "Write users' and customers' Argon2id hashes as password_hash.")
    boolean passwordHashes;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (created with mode 0600) instead of stdout.")
    Path output;

    @Override
    public Integer call() {
        ServerConfig settings = config.load();
        String yaml;
        try (Database database = config.openExistingDatabase(settings)) {
            yaml = new TenantExporter(database.sql(), passwordHashes).export(tenants);
        }
        if (output == null) {
            System.out.print(yaml);
            return 0;
        }
        try {
            // private from its first byte: with --include-password-hashes it holds what a guesser wants
            PrivateFiles.createFile(output);
            Files.writeString(output, yaml);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(output + " exists; export does not overwrite files");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + output, e);
        }
        System.err.println("Exported " + String.join(", ", tenants) + " to " + output);
        return 0;
    }
}
