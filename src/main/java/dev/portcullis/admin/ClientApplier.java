package dev.portcullis.admin;

import dev.portcullis.admin.TenantsFile.ClientSpec;
import dev.portcullis.admin.TenantsFile.SecretSpec;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.client.ConsentMode;
import dev.portcullis.client.Platform;
import dev.portcullis.client.StoredSecret;
import dev.portcullis.store.Sql;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static dev.portcullis.admin.ApplyReport.compare;

/** Writes one client of a tenants file and, when the file lists them, its secrets; secrets are reported by name only. */
final class ClientApplier {

    private final Sql tx;
    private final ClientSecretHasher secretHasher;
    private final ApplyReport report;
    private final long now;

    ClientApplier(Sql tx, ClientSecretHasher secretHasher, ApplyReport report, long now) {
        this.tx = tx;
        this.secretHasher = secretHasher;
        this.report = report;
        this.now = now;
    }

    void apply(String tenantId, ClientSpec spec) {
        ClientRepository clients = new ClientRepository(tx);
        Optional<ClientApplication> stored = clients.find(tenantId, spec.clientId());
        ClientRepository.Settings settings = new ClientRepository.Settings(spec.name(), spec.description(),
                Platform.fromLabel(spec.platform()).orElseThrow(), new LinkedHashSet<>(spec.scopes()), spec.redirectUris(),
                spec.accessTokenTtl(), spec.requirePkce(), ConsentMode.fromLabel(spec.consent()).orElseThrow(), spec.enabled(),
                spec.postLogoutRedirectUris(), spec.idTokenSigningAlg(), spec.requirePar());
        List<String> fields = new ArrayList<>();
        stored.ifPresent(c -> {
            compare(fields, "name", c.name(), settings.name());
            compare(fields, "description", c.description(), settings.description());
            compare(fields, "platform", c.platform(), settings.platform());
            compare(fields, "scopes", c.scopes(), Set.copyOf(settings.scopes()));
            compare(fields, "redirect_uris", Set.copyOf(c.redirectUris()), Set.copyOf(settings.redirectUris()));
            compare(fields, "post_logout_redirect_uris", Set.copyOf(c.postLogoutRedirectUris()),
                    Set.copyOf(settings.postLogoutRedirectUris()));
            compare(fields, "access_token_ttl", c.accessTokenTtl(), settings.accessTokenTtl());
            compare(fields, "require_pkce", c.requirePkce(), settings.requirePkce());
            compare(fields, "consent", c.consent(), settings.consent());
            compare(fields, "enabled", c.enabled(), settings.enabled());
            compare(fields, "token_exchange", c.tokenExchange(), spec.tokenExchange());
            compare(fields, "id_token_signed_response_alg", c.idTokenSigningAlg(), settings.idTokenSigningAlg());
            compare(fields, "require_par", c.requirePar(), settings.requirePar());
        });
        boolean written = clients.upsert(tx, tenantId, spec.clientId(), settings, now);
        written |= clients.setTokenExchange(tx, tenantId, spec.clientId(), spec.tokenExchange(), now);
        report.record(tenantId, "client " + spec.clientId(), stored.isPresent(), fields, written);
        if (spec.secrets().isPresent()) {
            secrets(clients, tenantId, spec.clientId(), spec.secrets().get());
        } else {
            stored.ifPresent(c -> c.secrets().forEach(secret -> report.add(tenantId, secretObject(c.clientId(), secret.name()),
                    ApplyChange.Action.UNCHANGED, List.of(), "kept: the file lists no secrets for this client")));
        }
    }

    private static String secretObject(String clientId, String name) {
        return "client " + clientId + " secret " + name;
    }

    /**
     * Makes a client's secrets those of the file. A stored secret with the same value keeps its id
     * and creation time, taking the file's expiry and name (an unnamed one keeps its stored name,
     * so dropping the older of two unnamed secrets does not rename the other); new unnamed ones
     * take the first free of primary and secondary. Old secrets go before new ones arrive, and
     * renames pass through the row's unique id, so no step holds two secrets of one client under
     * one name, which the database refuses.
     */
    private void secrets(ClientRepository clients, String tenantId, String clientId, List<SecretSpec> wanted) {
        ClientApplication stored = clients.find(tenantId, clientId).orElseThrow();
        Map<StoredSecret, SecretSpec> kept = new LinkedHashMap<>();
        List<SecretSpec> added = new ArrayList<>();
        for (SecretSpec secret : wanted) {
            // matches() also recognises a plain SHA-256 row not yet upgraded, which a dry run leaves as it is
            stored.secrets().stream().filter(s -> !kept.containsKey(s) && secretHasher.matches(secret.value(), s)).findFirst()
                    .ifPresentOrElse(same -> kept.put(same, secret), () -> added.add(secret));
        }
        for (StoredSecret old : stored.secrets()) {
            if (!kept.containsKey(old)) {
                clients.removeSecret(tx, old.id());
                report.add(tenantId, secretObject(clientId, old.name()), ApplyChange.Action.REMOVED, List.of(), "");
            }
        }
        Map<StoredSecret, String> renamed = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        kept.forEach((old, secret) -> taken.add(secret.name().orElse(old.name())));
        added.forEach(secret -> secret.name().ifPresent(taken::add));
        kept.forEach((old, secret) -> {
            String name = secret.name().orElse(old.name());
            List<String> fields = new ArrayList<>();
            compare(fields, "name", old.name(), name);
            compare(fields, "expires_at", old.expiresAt(), secret.expiresAt());
            if (fields.isEmpty()) {
                report.add(tenantId, secretObject(clientId, name), ApplyChange.Action.UNCHANGED, List.of(), "");
            } else {
                renamed.put(old, name);
                report.add(tenantId, secretObject(clientId, name), ApplyChange.Action.CHANGED, fields,
                        fields.contains("name") ? "was " + old.name() : "");
            }
        });
        renamed.keySet().forEach(old -> clients.updateSecret(tx, old.id(), old.id(), old.expiresAt()));
        renamed.forEach((old, name) -> clients.updateSecret(tx, old.id(), name, kept.get(old).expiresAt()));
        for (SecretSpec secret : added) {
            String name = secret.name().orElseGet(() -> StoredSecret.DEFAULT_NAMES.stream().filter(n -> !taken.contains(n))
                    .findFirst().orElseThrow());
            taken.add(name);
            clients.addSecret(tx, tenantId, clientId, name, secretHasher.hash(secret.value()), now, secret.expiresAt());
            report.add(tenantId, secretObject(clientId, name), ApplyChange.Action.CREATED, List.of(), expiry(secret.expiresAt()));
        }
    }

    private static String expiry(OptionalLong expiresAt) {
        return expiresAt.isPresent() ? "expires " + Instant.ofEpochSecond(expiresAt.getAsLong()) : "";
    }
}
