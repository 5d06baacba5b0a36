package dev.portcullis.admin;

import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.Platform;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ServerConfig;
import dev.portcullis.identity.Subject;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

/** The tenant, scope, client, user and customer commands: thin bindings over {@link AdminService}. */
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

        @Override
        public void run() {
            ServerConfig settings = config.load();
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

    // ---- client -------------------------------------------------------------------------------

    @Command(name = "client", mixinStandardHelpOptions = true, description = "Manage client applications and their secrets.",
            subcommands = {ClientCreate.class, ClientList.class, ClientDisable.class, ClientEnable.class,
                    ClientSecretAdd.class, ClientSecretList.class, ClientSecretRemove.class})
    public static final class ClientCommand {
    }

    @Command(name = "create", description = "Register a client; a web client's generated secret is printed once.")
    static final class ClientCreate extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--platform", required = true, description = "web (confidential) or spa (public)") String platform;
        @Option(names = "--client-id", description = "Default: a random UUID.") String clientId;
        @Option(names = "--scope", description = "Assigned scope; repeat for several.") List<String> scopes = new ArrayList<>();
        @Option(names = "--redirect-uri", description = "Registered redirect URI; repeat for several.") List<String> redirectUris = new ArrayList<>();
        @Option(names = "--access-token-ttl", description = "Seconds; default: the tenant's.") Integer ttl;
        @Option(names = "--token-exchange", description = "Allow the Token Exchange grant (web clients only).") boolean tokenExchange;

        @Override
        void execute(AdminService admin) {
            Platform parsed = Platform.fromLabel(platform).orElseThrow(() ->
                    new IllegalArgumentException("--platform must be web or spa"));
            AdminService.CreatedClient created = admin.createClient(tenant, Optional.ofNullable(clientId), name, parsed, scopes,
                    redirectUris, ttl == null ? OptionalInt.empty() : OptionalInt.of(ttl), tokenExchange);
            System.out.println("client_id:     " + created.clientId());
            created.secret().ifPresent(secret -> {
                System.out.println("client_secret: " + secret);
                System.out.println("The secret is shown only now; Portcullis keeps only its hash.");
            });
        }
    }

    @Command(name = "list", description = "List a tenant's clients.")
    static final class ClientList extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        void execute(AdminService admin) {
            table(admin.clients(tenant), "CLIENT_ID\tPLATFORM\tENABLED\tSECRETS\tSCOPES\tNAME",
                    (ClientApplication c) -> c.clientId() + "\t" + c.platform().label() + "\t" + c.enabled() + "\t"
                            + c.secrets().size() + "\t" + String.join(" ", c.scopes()) + "\t" + c.name());
        }
    }

    @Command(name = "disable", description = "Disable a client: its credentials stop working.")
    static final class ClientDisable extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;

        @Override
        void execute(AdminService admin) {
            admin.setClientEnabled(tenant, clientId, false);
            System.out.println("Disabled client " + clientId);
        }
    }

    @Command(name = "enable", description = "Enable a client.")
    static final class ClientEnable extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;

        @Override
        void execute(AdminService admin) {
            admin.setClientEnabled(tenant, clientId, true);
            System.out.println("Enabled client " + clientId);
        }
    }

    @Command(name = "secret-add", description = "Generate a new secret for a web client (at most two); printed once.")
    static final class ClientSecretAdd extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;
        @Option(names = "--expires", description = "Expiry: a date (2027-01-31) or an instant (2027-01-31T00:00:00Z).") String expires;

        @Override
        void execute(AdminService admin) {
            OptionalLong expiresAt = OptionalLong.empty();
            if (expires != null) {
                try {
                    expiresAt = OptionalLong.of(expires.contains("T") ? Instant.parse(expires).getEpochSecond()
                            : LocalDate.parse(expires).atStartOfDay(ZoneOffset.UTC).toEpochSecond());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("--expires must be a date (2027-01-31) or an instant (2027-01-31T00:00:00Z)");
                }
            }
            String secret = admin.addSecret(tenant, clientId, expiresAt);
            System.out.println("client_secret: " + secret);
            System.out.println("The secret is shown only now; Portcullis keeps only its hash.");
        }
    }

    @Command(name = "secret-list", description = "List a client's secrets: ids, creation and expiry (never the values).")
    static final class ClientSecretList extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;

        @Override
        void execute(AdminService admin) {
            ClientApplication client = admin.clients(tenant).stream().filter(c -> c.clientId().equals(clientId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no client " + clientId + " in tenant " + tenant));
            table(client.secrets(), "SECRET_ID\tCREATED\tEXPIRES",
                    s -> s.id() + "\t" + Instant.ofEpochSecond(s.createdAt()) + "\t"
                            + (s.expiresAt().isPresent() ? Instant.ofEpochSecond(s.expiresAt().getAsLong()).toString() : "never"));
        }
    }

    @Command(name = "secret-remove", description = "Remove one of a client's secrets by its id (see client secret-list).")
    static final class ClientSecretRemove extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(index = "0", paramLabel = "CLIENT_ID") String clientId;
        @Parameters(index = "1", paramLabel = "SECRET_ID") String secretId;

        @Override
        void execute(AdminService admin) {
            admin.removeSecret(tenant, clientId, secretId);
            System.out.println("Removed secret " + secretId + " from client " + clientId);
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
            admin.createSubject(tenant, RealmType.USER, id, Optional.of(username), Optional.ofNullable(email),
                    checkedPassword(readPassword(passwordStdin, "Password for " + username + ": ")));
            System.out.println("Created user " + id + " (" + username + ") in " + tenant + "-U");
        }
    }

    @Command(name = "list", description = "List users.")
    static final class UserList extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        void execute(AdminService admin) {
            table(admin.subjects(tenant, RealmType.USER), "ID\tUSERNAME\tEMAIL\tENABLED",
                    (Subject s) -> s.id() + "\t" + s.username().orElse("") + "\t" + s.email().orElse("") + "\t" + s.enabled());
        }
    }

    @Command(name = "disable", description = "Disable a user.")
    static final class UserDisable extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "ID") String id;

        @Override
        void execute(AdminService admin) {
            admin.setSubjectEnabled(tenant, RealmType.USER, id, false);
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
            admin.createSubject(tenant, RealmType.CUSTOMER, id, Optional.empty(), Optional.of(email),
                    checkedPassword(readPassword(passwordStdin, "Password for " + email + ": ")));
            System.out.println("Created customer " + id + " (" + email + ") in " + tenant + "-C");
        }
    }

    @Command(name = "list", description = "List customers.")
    static final class CustomerList extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        void execute(AdminService admin) {
            table(admin.subjects(tenant, RealmType.CUSTOMER), "ID\tEMAIL\tENABLED",
                    (Subject s) -> s.id() + "\t" + s.email().orElse("") + "\t" + s.enabled());
        }
    }

    @Command(name = "disable", description = "Disable a customer.")
    static final class CustomerDisable extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "ID") String id;

        @Override
        void execute(AdminService admin) {
            admin.setSubjectEnabled(tenant, RealmType.CUSTOMER, id, false);
            System.out.println("Disabled customer " + id);
        }
    }
}
