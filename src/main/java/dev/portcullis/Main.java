package dev.portcullis;

import dev.portcullis.admin.AdminCommands;
import dev.portcullis.admin.ClientCommands;
import dev.portcullis.admin.ApplyCommand;
import dev.portcullis.admin.BootstrapAdminCommand;
import dev.portcullis.admin.ExportCommand;
import dev.portcullis.admin.KeyCommands;
import dev.portcullis.admin.IdentityProviderCommands;
import dev.portcullis.admin.SelfTestCommand;
import dev.portcullis.admin.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code portcullis} command line. */
@Command(name = "portcullis", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "An eGain-compatible OAuth 2.0 authorization server.",
        subcommands = {ServeCommand.class, ApplyCommand.class, ExportCommand.class, AdminCommands.TenantCommand.class,
                AdminCommands.ScopeCommand.class, ClientCommands.ClientCommand.class,
                AdminCommands.UserCommand.class, AdminCommands.CustomerCommand.class, KeyCommands.KeysCommand.class,
                IdentityProviderCommands.IdpCommand.class, BootstrapAdminCommand.class,
                SelfTestCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("serve") || args[0].equals("selftest"))) {
            // Before anything else loads: the configured algorithm is only known later, and RS256 is the default.
            StartupWarmer.start(System.getenv().getOrDefault("PORTCULLIS_SIGNING_ALG", "RS256"));
        }
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler(new AdminCommands.FriendlyErrors());
        System.exit(commandLine.execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"portcullis " + (version == null ? "development" : version)};
        }
    }
}
