package dev.portcullis.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.admin.AdminCommands.AdminCommand;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientMetadata;
import dev.portcullis.client.Platform;
import dev.portcullis.client.StoredSecret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** The {@code client} commands: register, list, enable and disable clients, manage their named secrets, show their metadata. */
public final class ClientCommands {

    private ClientCommands() {
    }

    @Command(name = "client", mixinStandardHelpOptions = true, description = "Manage client applications and their secrets.",
            subcommands = {ClientCreate.class, ClientList.class, ClientDisable.class, ClientEnable.class,
                    ClientSecretAdd.class, ClientSecretList.class, ClientSecretRemove.class, ClientMetadataCommand.class})
    public static final class ClientCommand {
    }

    @Command(name = "create", description = "Register a client; a web client's generated secret (named primary) is printed once.")
    static final class ClientCreate extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--name", required = true) String name;
        @Option(names = "--description", description = "Free text, at most 1000 characters.") String description;
        @Option(names = "--platform", required = true,
                description = "web (confidential), spa (public, browser) or native (public, desktop and mobile apps)") String platform;
        @Option(names = "--client-id", description = "Default: a random UUID.") String clientId;
        @Option(names = "--scope", description = "Assigned scope; repeat for several.") List<String> scopes = new ArrayList<>();
        @Option(names = "--redirect-uri", description = "Registered redirect URI; repeat for several.") List<String> redirectUris = new ArrayList<>();
        @Option(names = "--post-logout-redirect-uri", description = "Where a logout may return the browser (exact match); repeat "
                + "for several. Without one, the redirect URIs serve.") List<String> postLogoutRedirectUris = new ArrayList<>();
        @Option(names = "--access-token-ttl", description = "Seconds; default: the tenant's.") Integer ttl;
        @Option(names = "--token-exchange", description = "Allow the Token Exchange grant (web clients only).") boolean tokenExchange;
        @Option(names = "--id-token-signing-alg", description = "Algorithm of the client's ID tokens (id_token_signed_response_alg): "
                + "RS256, PS256, ES256 or EdDSA. Default: the tenant's signing algorithm.") String idTokenSigningAlg;

        @Override
        void execute(AdminService admin) {
            Platform parsed = Platform.fromLabel(platform).orElseThrow(() ->
                    new IllegalArgumentException("--platform must be web, spa or native"));
            AdminService.CreatedClient created = admin.createClient(tenant, Optional.ofNullable(clientId), name,
                    Optional.ofNullable(description), parsed, scopes, redirectUris,
                    ttl == null ? OptionalInt.empty() : OptionalInt.of(ttl), tokenExchange, postLogoutRedirectUris,
                    Optional.ofNullable(idTokenSigningAlg));
            System.out.println("client_id:     " + created.clientId());
            created.secret().ifPresent(secret -> {
                System.out.println("client_secret: " + secret);
                System.out.println("The secret (named " + StoredSecret.DEFAULT_NAMES.get(0)
                        + ") is shown only now; Portcullis keeps only its hash.");
            });
        }
    }

    @Command(name = "list", description = "List a tenant's clients.")
    static final class ClientList extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;

        @Override
        void execute(AdminService admin) {
            AdminCommands.table(admin.clients(tenant), "CLIENT_ID\tPLATFORM\tENABLED\tSECRETS\tSCOPES\tNAME\tDESCRIPTION",
                    (ClientApplication c) -> c.clientId() + "\t" + c.platform().label() + "\t" + c.enabled() + "\t"
                            + c.secrets().size() + "\t" + String.join(" ", c.scopes()) + "\t" + c.name() + "\t"
                            + c.description().map(d -> d.replaceAll("\\s+", " ")).orElse(""));
        }
    }

    /** disable and enable differ only in the state they set. */
    abstract static class ClientSwitch extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;

        abstract boolean enabled();

        @Override
        void execute(AdminService admin) {
            admin.setClientEnabled(tenant, clientId, enabled());
            System.out.println((enabled() ? "Enabled" : "Disabled") + " client " + clientId);
        }
    }

    @Command(name = "disable", description = "Disable a client: its credentials stop working.")
    static final class ClientDisable extends ClientSwitch {
        @Override
        boolean enabled() {
            return false;
        }
    }

    @Command(name = "enable", description = "Enable a client.")
    static final class ClientEnable extends ClientSwitch {
        @Override
        boolean enabled() {
            return true;
        }
    }

    @Command(name = "secret-add", description = "Generate a new secret for a web client (at most two); printed once.")
    static final class ClientSecretAdd extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;
        @Option(names = "--name", description = "Unique per client, at most 64 characters; default primary, or secondary when "
                + "primary is taken.") String name;
        @Option(names = "--expires", description = "Expiry: a date (2027-01-31) or an instant (2027-01-31T00:00:00Z).") String expires;

        @Override
        void execute(AdminService admin) {
            OptionalLong expiresAt = OptionalLong.empty();
            if (expires != null) {
                expiresAt = SecretExpiry.parse(expires);
                if (expiresAt.isEmpty()) {
                    throw new IllegalArgumentException("--expires must be " + SecretExpiry.FORMS);
                }
            }
            AdminService.AddedSecret added = admin.addSecret(tenant, clientId, Optional.ofNullable(name), expiresAt);
            System.out.println("name:          " + added.name());
            System.out.println("client_secret: " + added.value());
            System.out.println("The secret is shown only now; Portcullis keeps only its hash.");
        }
    }

    @Command(name = "secret-list", description = "List a client's secrets: names, ids, creation and expiry (never the values).")
    static final class ClientSecretList extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;

        @Override
        void execute(AdminService admin) {
            AdminCommands.table(admin.secrets(tenant, clientId), "NAME\tSECRET_ID\tCREATED\tEXPIRES",
                    (StoredSecret s) -> s.name() + "\t" + s.id() + "\t" + Instant.ofEpochSecond(s.createdAt()) + "\t"
                            + (s.expiresAt().isPresent() ? Instant.ofEpochSecond(s.expiresAt().getAsLong()).toString() : "never"));
        }
    }

    @Command(name = "secret-remove", description = "Remove one of a client's secrets by its name or id (see client secret-list).")
    static final class ClientSecretRemove extends AdminCommand {
        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(index = "0", paramLabel = "CLIENT_ID") String clientId;
        @Parameters(index = "1", paramLabel = "SECRET", description = "The secret's name or id.") String secret;

        @Override
        void execute(AdminService admin) {
            String removed = admin.removeSecret(tenant, clientId, secret);
            System.out.println("Removed secret " + removed + " from client " + clientId);
        }
    }

    @Command(name = "metadata", description = "Show a client's metadata, as eGain's console does: authorization, access token, "
            + "domain and metadata URLs (of the -U realm).")
    static final class ClientMetadataCommand extends AdminCommand {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Option(names = "--tenant", required = true) String tenant;
        @Parameters(paramLabel = "CLIENT_ID") String clientId;
        @Option(names = "--json", description = "Print {\"authorization_url\", \"access_token_url\", \"domain_url\", \"metadata_url\"}.")
        boolean json;

        @Override
        void execute(AdminService admin) {
            ClientMetadata metadata = ClientMetadata.of(admin.client(tenant, clientId), admin.tenant(tenant),
                    settings.publicUrl(), settings.apiUrl());
            if (json) {
                try {
                    System.out.println(JSON.writeValueAsString(metadata.toJson()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("a map of strings is always serialisable", e);
                }
                return;
            }
            metadata.authorizationUrl().ifPresent(url -> System.out.println("Authorization URL:  " + url));
            System.out.println("Access Token URL:   " + metadata.accessTokenUrl());
            System.out.println("Domain URL:         " + metadata.domainUrl());
            System.out.println("Metadata URL:       " + metadata.metadataUrl());
        }
    }
}
