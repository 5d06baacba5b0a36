package dev.portcullis.admin;

import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.identity.Subject;
import dev.portcullis.protocol.ParameterLimits;
import dev.portcullis.store.Database;
import dev.portcullis.store.StoreException;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.ScopeDefinition;
import dev.portcullis.tenant.ScopeKind;
import dev.portcullis.tenant.Tenant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The tenant, scope, user and customer commands ({@link ClientCommands} has the client ones): thin bindings over {@link AdminService}. */
public final class AdminCommands {

    private AdminCommands() {
    }

    /** Prints operator mistakes as one line, without a stack trace. */
    public static final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
            if (e instanceof ConfigException || e instanceof TenantsFileException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            if (e instanceof StoreException) {
                commandLine.getErr().println("error: " + e.getMessage() + ": " + rootMessage(e));
                return 3;
            }
            throw new RuntimeException(e);
        }

        private static String rootMessage(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.getMessage();
        }
    }

    abstract static class AdminCommand implements Runnable {
        @Mixin
        ConfigOption config;
        /** The loaded configuration, for commands that print URLs (public_url, api_url). */
        ServerConfig settings;

        @Override
        public void run() {
            settings = config.load();
            try (Database database = config.openDatabase(settings)) {
                execute(new AdminService(database.sql(), config.secretHasher(settings, database), Clock.systemUTC()));
            }
        }

        abstract void execute(AdminService admin);
    }

    static <T> void table(List<T> rows, String header, Function<T, String> line) {
        System.out.println(header);
        rows.forEach(row -> System.out.println(line.apply(row)));
    }

    static Optional<String> readPassword(boolean fromStdin, String prompt) {
        if (!fromStdin) {
            if (System.console() == null) {
                return Optional.empty();
            }
            char[] typed = System.console().readPassword(prompt);
            return typed == null || typed.length == 0 ? Optional.empty() : Optional.of(new String(typed));
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return Optional.ofNullable(line).filter(l -> !l.isEmpty());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the password from standard input");
        }
    }

    static Optional<String> checkedPassword(Optional<String> password) {
        password.ifPresent(p -> {
            if (p.length() < 8) {
                throw new IllegalArgumentException("passwords must have at least 8 characters");
            }
            if (p.length() > ParameterLimits.PASSWORD) {
                throw new IllegalArgumentException("passwords may have at most " + ParameterLimits.PASSWORD
                        + " characters, the most the sign-in form accepts");
            }
        });
        return password;
    }

    // ---- tenant -------------------------------------------------------------------------------

    @Command(name = "tenant", mixinStandardHelpOptions = true, description = "Create, list, disable or enable tenants.",
            subcommands = {TenantCreate.class, TenantList.class, TenantDisable.class, TenantEnable.class})
    public static final class TenantCommand {
    }

    @Command(name = "create", description = "Create a tenant.")
    static final class TenantCreate extends AdminCommand {
        @Parameters(paramLabel = "ID") String id;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--access-token-ttl", defaultValue = "3600", description = "Seconds (default 3600).") int ttl;

        @Override
        void execute(AdminService admin) {
            if (!id.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
                throw new IllegalArgumentException("tenant id must be 1-64 letters, digits, '_' or '-'");
            }
            if (ttl < 60 || ttl > 86_400) {
                throw new IllegalArgumentException("--access-token-ttl must be between 60 and 86400 seconds");
            }
            admin.createTenant(id, name, ttl);
            System.out.println("Created tenant " + id + " (realms /system/auth/" + id + "-U and /system/auth/" + id + "-C)");
        }
    }

    @Command(name = "list", description = "List tenants.")
    static final class TenantList extends AdminCommand {
        @Override
        void execute(AdminService admin) {
            table(admin.tenants(), "ID\tENABLED\tTOKEN_TTL\tSCOPES\tNAME",
                    (Tenant t) -> t.id() + "\t" + t.enabled() + "\t" + t.accessTokenTtl() + "\t" + t.scopes().size() + "\t" + t.name());
        }
    }

    @Command(name = "disable", description = "Disable a tenant: its realms answer 404.")
    static final class TenantDisable extends AdminCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        void execute(AdminService admin) {
            admin.setTenantEnabled(id, false);
            System.out.println("Disabled tenant " + id);
        }
    }

    @Command(name = "enable", description = "Enable a tenant.")
    static final class TenantEnable extends AdminCommand {
        @Parameters(paramLabel = "ID") String id;

        @Override
        void execute(AdminService admin) {
            admin.setTenantEnabled(id, true);
            System.out.println("Enabled tenant " + id);
        }
    }

    // ---- scope --------------------------------------------------------------------------------

    @Command(name = "scope", mixinStandardHelpOptions = true, description = "Create or list a tenant's scopes.",
            subcommands = {ScopeCreate.class, ScopeList.class})
    public static final class ScopeCommand {
    }

    @Command(name = "create", description = "Define a scope in a tenant.")
    static final class ScopeCreate extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--kind", required = true, description = "application, delegated or on-behalf-of") String kind;
        @Option(names = "--description") String description;

        @Override
        void execute(AdminService admin) {
            ScopeKind parsed = ScopeKind.fromLabel(kind).orElseThrow(() ->
                    new IllegalArgumentException("--kind must be application, delegated or on-behalf-of"));
            admin.createScope(tenant, new ScopeDefinition(name, parsed, description));
            System.out.println("Created " + kind + " scope " + name + " in tenant " + tenant);
        }
    }

    @Command(name = "list", description = "List a tenant's scopes.")
    static final class ScopeList extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        void execute(AdminService admin) {
            Tenant t = admin.tenants().stream().filter(x -> x.id().equals(tenant)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no tenant " + tenant));
            table(List.copyOf(t.scopes().values()), "NAME\tKIND\tDESCRIPTION",
                    (ScopeDefinition s) -> s.name() + "\t" + s.kind().label() + "\t" + Optional.ofNullable(s.description()).orElse(""));
        }
    }

    // ---- users and customers ------------------------------------------------------------------

    abstract static class SubjectCreate extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--id", required = true) String id;
        @Option(names = "--password-stdin", description = "Read the password from standard input instead of prompting.") boolean passwordStdin;
    }

    @Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users (agents, the -U realm).",
            subcommands = {UserCreate.class, UserList.class, UserDisable.class})
    public static final class UserCommand {
    }

    @Command(name = "create", description = "Create a user; prompts for a password (optional: On-Behalf-Of needs none).")
    static final class UserCreate extends SubjectCreate {
        @Option(names = "--username", required = true) String username;
        @Option(names = "--email") String email;

        @Override
        void execute(AdminService admin) {
            admin.subjectAdmin().createSubject(tenant, RealmType.USER, id, Optional.of(username), Optional.ofNullable(email),
                    checkedPassword(readPassword(passwordStdin, "Password for " + username + ": ")));
            System.out.println("Created user " + id + " (" + username + ") in " + tenant + "-U");
        }
    }

    @Command(name = "list", description = "List users.")
    static final class UserList extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        void execute(AdminService admin) {
            table(admin.subjectAdmin().subjects(tenant, RealmType.USER), "ID\tUSERNAME\tEMAIL\tENABLED",
                    (Subject s) -> s.id() + "\t" + s.username().orElse("") + "\t" + s.email().orElse("") + "\t" + s.enabled());
        }
    }

    @Command(name = "disable", description = "Disable a user.")
    static final class UserDisable extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "ID") String id;

        @Override
        void execute(AdminService admin) {
            admin.subjectAdmin().setSubjectEnabled(tenant, RealmType.USER, id, false);
            System.out.println("Disabled user " + id);
        }
    }

    @Command(name = "customer", mixinStandardHelpOptions = true, description = "Manage customers (the -C realm).",
            subcommands = {CustomerCreate.class, CustomerList.class, CustomerDisable.class})
    public static final class CustomerCommand {
    }

    @Command(name = "create", description = "Create a customer; prompts for a password (optional).")
    static final class CustomerCreate extends SubjectCreate {
        @Option(names = "--email", required = true) String email;

        @Override
        void execute(AdminService admin) {
            admin.subjectAdmin().createSubject(tenant, RealmType.CUSTOMER, id, Optional.empty(), Optional.of(email),
                    checkedPassword(readPassword(passwordStdin, "Password for " + email + ": ")));
            System.out.println("Created customer " + id + " (" + email + ") in " + tenant + "-C");
        }
    }

    @Command(name = "list", description = "List customers.")
    static final class CustomerList extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        void execute(AdminService admin) {
            table(admin.subjectAdmin().subjects(tenant, RealmType.CUSTOMER), "ID\tEMAIL\tENABLED",
                    (Subject s) -> s.id() + "\t" + s.email().orElse("") + "\t" + s.enabled());
        }
    }

    @Command(name = "disable", description = "Disable a customer.")
    static final class CustomerDisable extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "ID") String id;

        @Override
        void execute(AdminService admin) {
            admin.subjectAdmin().setSubjectEnabled(tenant, RealmType.CUSTOMER, id, false);
            System.out.println("Disabled customer " + id);
        }
    }
}
