package dev.portcullis.admin;

import dev.portcullis.config.ServerConfig;
import dev.portcullis.exchange.IdentityProvider;
import dev.portcullis.exchange.IdentityProviderRepository;
import dev.portcullis.exchange.RegistrationRules;
import dev.portcullis.exchange.UserClaim;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Database;
import dev.portcullis.store.Sql;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.TenantRepository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code portcullis idp create|list|remove}: the identity providers Token Exchange accepts tokens from. */
public final class IdentityProviderCommands {

    private IdentityProviderCommands() {
    }

    @Command(name = "idp", mixinStandardHelpOptions = true,
            description = "Register, list or remove identity providers for Token Exchange (eGain's SSO Provider).",
            subcommands = {Create.class, ListCommand.class, Remove.class})
    public static final class IdpCommand {
    }

    abstract static class IdpSubcommand implements Runnable {
        @Mixin
        ConfigOption config;
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        public void run() {
            ServerConfig settings = config.load();
            try (Database database = config.openDatabase(settings)) {
                Sql sql = database.sql();
                if (new TenantRepository(sql).find(tenant).isEmpty()) {
                    throw new IllegalArgumentException("no tenant " + tenant);
                }
                execute(sql, new IdentityProviderRepository(sql));
            }
        }

        abstract void execute(Sql sql, IdentityProviderRepository providers);
    }

    @Command(name = "create", description = "Register an identity provider; prints its registration_id.")
    static final class Create extends IdpSubcommand {
        @Option(names = "--name", required = true) String name;
        @Option(names = "--issuer", required = true, description = "Exactly the iss of the provider's tokens.") String issuer;
        @Option(names = "--audience", required = true, description = "Accepted aud; repeat for several.") List<String> audiences;
        @Option(names = "--realm", defaultValue = "U", description = "U (users, default) or C (customers).") String realm;
        @Option(names = "--registration-id", description = "Default: a random UUID.") String registrationId;
        @Option(names = "--jwks-uri", description = "Default: found in the issuer's metadata.") String jwksUri;
        @Option(names = "--algorithm", description = "Accepted algorithm; repeat (default RS256, PS256, ES256).") List<String> algorithms = new ArrayList<>();
        @Option(names = "--user-claim", defaultValue = "email", description = "email (default), preferred_username or sub.") String userClaim;
        @Option(names = "--allow-private-network", description = "Allow fetching keys from private network addresses.") boolean allowPrivateNetwork;

        @Override
        void execute(Sql sql, IdentityProviderRepository providers) {
            RealmType realmType = RegistrationRules.realm(realm).orElseThrow(() ->
                    new IllegalArgumentException("--realm must be U or C"));
            String id = registrationId == null ? RegistrationRules.newRegistrationId() : registrationId;
            List<String> accepted = algorithms.isEmpty() ? IdentityProvider.DEFAULT_ALGORITHMS : algorithms;
            for (Optional<String> problem : List.of(RegistrationRules.registrationIdProblem(id), RegistrationRules.nameProblem(name),
                    RegistrationRules.urlProblem("issuer", issuer),
                    jwksUri == null ? Optional.<String>empty() : RegistrationRules.urlProblem("jwks_uri", jwksUri),
                    RegistrationRules.audiencesProblem(audiences), RegistrationRules.algorithmsProblem(accepted),
                    RegistrationRules.userClaimProblem(userClaim, realmType))) {
                problem.ifPresent(p -> {
                    throw new IllegalArgumentException(p);
                });
            }
            IdentityProvider provider = new IdentityProvider(tenant, id, name, realmType, issuer, Optional.ofNullable(jwksUri),
                    audiences, accepted, UserClaim.fromClaim(userClaim).orElseThrow(), allowPrivateNetwork);
            sql.inTransaction(tx -> {
                if (new IdentityProviderRepository(tx).find(tenant, id).isPresent()) {
                    throw new IllegalArgumentException("registration " + id + " already exists in tenant " + tenant);
                }
                new IdentityProviderRepository(tx).upsert(tx, provider, Clock.systemUTC().instant().getEpochSecond());
                ConfigRevision.bump(tx);
                return null;
            });
            System.out.println("registration_id: " + id);
            System.out.println("Send it as registration_id with grant_type=urn:ietf:params:oauth:grant-type:token-exchange to "
                    + "/system/auth/" + tenant + "-" + realmType.suffix() + "/oauth2/token");
        }
    }

    @Command(name = "list", description = "List a tenant's identity providers.")
    static final class ListCommand extends IdpSubcommand {
        @Override
        void execute(Sql sql, IdentityProviderRepository providers) {
            AdminCommands.table(providers.list(tenant), "REGISTRATION_ID\tREALM\tUSER_CLAIM\tISSUER\tAUDIENCES\tJWKS_URI\tNAME",
                    p -> p.registrationId() + "\t" + p.realm().suffix() + "\t" + p.userClaim().claim() + "\t" + p.issuer() + "\t"
                            + String.join(" ", p.audiences()) + "\t" + p.jwksUri().orElse("(metadata)") + "\t" + p.name());
        }
    }

    @Command(name = "remove", description = "Remove an identity provider: its tokens stop being exchanged.")
    static final class Remove extends IdpSubcommand {
        @Parameters(paramLabel = "REGISTRATION_ID") String registrationId;

        @Override
        void execute(Sql sql, IdentityProviderRepository providers) {
            sql.inTransaction(tx -> {
                if (!new IdentityProviderRepository(tx).remove(tx, tenant, registrationId)) {
                    throw new IllegalArgumentException("no registration " + registrationId + " in tenant " + tenant);
                }
                ConfigRevision.bump(tx);
                return null;
            });
            System.out.println("Removed identity provider " + registrationId);
        }
    }
}
