package dev.portcullis.admin;

import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.store.Database;
import dev.portcullis.token.MasterKey;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --config FILE} option every command shares, and the database it points to. */
public final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file; PORTCULLIS_<KEY> environment variables override it.")
    Path file;

    public ServerConfig load() {
        return ConfigLoader.fromProcess(file);
    }

    public Database openDatabase(ServerConfig config) {
        return Database.open(config.jdbcUrl(), Math.min(config.databasePoolSize(), 2));
    }

    /** The database as it is, for commands that must not write: no migration, no new file. */
    public Database openExistingDatabase(ServerConfig config) {
        return Database.openExisting(config.jdbcUrl(), Math.min(config.databasePoolSize(), 2));
    }

    /** Client secrets are keyed by the master key, so commands that touch them need the server's key. */
    public ClientSecretHasher secretHasher(ServerConfig config, Database database) {
        return ClientSecretHasher.open(MasterKey.of(config), database.sql());
    }
}
