package dev.portcullis.admin;

import dev.portcullis.config.ServerConfig;
import dev.portcullis.identity.AdminRole;
import dev.portcullis.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;

/**
 * {@code portcullis bootstrap-admin}: the first System Administrator ({@link BootstrapAdmin}). It needs no
 * master key, since it touches neither signing keys nor client secrets, so it can run before the first start.
 */
@Command(name = "bootstrap-admin", mixinStandardHelpOptions = true,
        description = "Create a system administrator (role system_admin) in tenant '" + AdminRole.SYSTEM_TENANT
                + "', creating that tenant when missing.")
public final class BootstrapAdminCommand implements Runnable {

    @Mixin
    ConfigOption config;

    @Option(names = "--username", required = true, description = "What the administrator signs in with.")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input instead of "
            + "prompting. At least " + BootstrapAdmin.MINIMUM_PASSWORD_LENGTH + " characters; there is no default.")
    boolean passwordStdin;

    @Option(names = "--reset-password", description = "If the username exists: set its password, enable it and make sure "
            + "it holds system_admin (otherwise an existing username is refused).")
    boolean resetPassword;

    @Override
    public void run() {
        ServerConfig settings = config.load();
        String password = AdminCommands.readPassword(passwordStdin, "Password for " + username + ": ")
                .orElseThrow(() -> new IllegalArgumentException(passwordStdin
                        ? "a password is required on the first line of standard input (there is no default password)"
                        : "a password is required: give --password-stdin, or run this in a terminal to be prompted"));
        BootstrapAdmin.checkPassword(password); // before the database is opened or created
        try (Database database = config.openDatabase(settings)) {
            BootstrapAdmin.Result result = new BootstrapAdmin(database.sql(), Clock.systemUTC()).create(username, password,
                    resetPassword);
            if (result.tenantCreated()) {
                System.out.println("Created tenant " + AdminRole.SYSTEM_TENANT + " (" + AdminRole.SYSTEM_TENANT_NAME + ")");
            }
            System.out.println((result.passwordReset() ? "Reset the password of system administrator " : "Created system administrator ")
                    + result.username() + " (id " + result.userId() + ", role " + AdminRole.SYSTEM_ADMIN.label() + ") in "
                    + AdminRole.SYSTEM_TENANT + "-U; sign in at /system/auth/" + AdminRole.SYSTEM_TENANT + "-U");
        }
    }
}
