package dev.portcullis.admin;

import dev.portcullis.config.ConfigException;
import dev.portcullis.identity.AdminRole;
import dev.portcullis.identity.PasswordHasher;
import dev.portcullis.identity.Subject;
import dev.portcullis.identity.SubjectLookup;
import dev.portcullis.identity.SubjectRepository;
import dev.portcullis.identity.SubjectRoles;
import dev.portcullis.protocol.ParameterLimits;
import dev.portcullis.store.ConfigRevision;
import dev.portcullis.store.Sql;
import dev.portcullis.store.StoreException;
import dev.portcullis.tenant.RealmType;
import dev.portcullis.tenant.Tenant;
import dev.portcullis.tenant.TenantRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The first System Administrator: creates the tenant {@code system} when missing and in its -U realm a
 * user with role {@code system_admin}. The user's id is a generated UUID, so the username (what the
 * administrator signs in with) can change later without changing the {@code sub} of its tokens.
 * There is no default password, ever: the caller supplies one of at least {@link #MINIMUM_PASSWORD_LENGTH}
 * characters, and it is never logged or printed.
 */
public final class BootstrapAdmin {

    public static final int MINIMUM_PASSWORD_LENGTH = 12;
    public static final String USERNAME_VARIABLE = "PORTCULLIS_BOOTSTRAP_ADMIN_USERNAME";
    public static final String PASSWORD_VARIABLE = "PORTCULLIS_BOOTSTRAP_ADMIN_PASSWORD";
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdmin.class);

    /**
     * {@code username}: as stored (a reset keeps the existing spelling); {@code tenantCreated}: the tenant
     * {@code system} did not exist before; {@code passwordReset}: the user did.
     */
    public record Result(String userId, String username, boolean tenantCreated, boolean passwordReset) {
    }

    /** What {@link #fromEnvironment} did at start-up. */
    public enum EnvironmentOutcome { NOT_REQUESTED, IGNORED_INCOMPLETE, CREATED, IGNORED_ADMIN_EXISTS }

    private final Sql sql;
    private final Clock clock;

    public BootstrapAdmin(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    /**
     * Creates the administrator; an existing username is refused unless {@code resetPassword}, which then
     * sets its password, enables it and adds {@code system_admin} to its roles (a way back in for a
     * locked-out administrator). Throws IllegalArgumentException with the reason for the operator.
     */
    public Result create(String username, String password, boolean resetPassword) {
        String name = username == null ? "" : username.strip();
        if (name.isEmpty() || name.length() > ParameterLimits.IDENTIFIER || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the username must have 1 to " + ParameterLimits.IDENTIFIER
                    + " characters and no control characters");
        }
        checkPassword(password);
        String hash = PasswordHasher.hash(password); // before the transaction: hashing takes tens of milliseconds
        long now = clock.instant().getEpochSecond();
        return sql.inTransaction(tx -> {
            TenantRepository tenants = new TenantRepository(tx);
            boolean tenantCreated = tenants.find(AdminRole.SYSTEM_TENANT).isEmpty();
            if (tenantCreated) {
                tenants.upsert(tx, AdminRole.SYSTEM_TENANT, AdminRole.SYSTEM_TENANT_NAME, 3600, Tenant.RefreshPolicy.DEFAULT, true, now);
            }
            SubjectRepository subjects = new SubjectRepository(tx);
            Optional<Subject> existing = subjects.find(new SubjectLookup(AdminRole.SYSTEM_TENANT, RealmType.USER,
                    SubjectLookup.By.USERNAME, name));
            if (existing.isPresent() && !resetPassword) {
                throw new IllegalArgumentException("user '" + name + "' already exists in tenant " + AdminRole.SYSTEM_TENANT
                        + " (id " + existing.get().id() + "); to set its password and make it a system_admin, run: "
                        + "portcullis bootstrap-admin --username " + name + " --password-stdin --reset-password");
            }
            String id = existing.map(Subject::id).orElseGet(() -> UUID.randomUUID().toString());
            String stored = existing.flatMap(Subject::username).orElse(name);
            subjects.upsert(tx, AdminRole.SYSTEM_TENANT, RealmType.USER, id, Optional.of(stored),
                    existing.flatMap(Subject::email), Optional.of(hash), true, now);
            Set<AdminRole> roles = EnumSet.of(AdminRole.SYSTEM_ADMIN);
            SubjectRoles.stored(tx, AdminRole.SYSTEM_TENANT, id).forEach(label -> AdminRole.fromLabel(label).ifPresent(roles::add));
            SubjectRoles.set(tx, AdminRole.SYSTEM_TENANT, id, roles);
            ConfigRevision.bump(tx);
            return new Result(id, stored, tenantCreated, existing.isPresent());
        });
    }

    /** Refuses what could never be a safe administrator password; the message never holds the password. */
    static void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("a password is required (there is no default password)");
        }
        if (password.length() < MINIMUM_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("an administrator's password must have at least " + MINIMUM_PASSWORD_LENGTH
                    + " characters");
        }
    }

    /**
     * {@code serve}: when both variables are set and tenant {@code system} has no enabled {@code system_admin},
     * creates one as {@link #create} does; otherwise says in the log why the variables were ignored. A password
     * that is too short, or a username taken by a user who is not an enabled system_admin, stops the start
     * (ConfigException): the operator asked for an administrator and would otherwise find none.
     */
    public EnvironmentOutcome fromEnvironment(Map<String, String> environment) {
        Optional<String> username = Optional.ofNullable(environment.get(USERNAME_VARIABLE)).filter(v -> !v.isBlank());
        Optional<String> password = Optional.ofNullable(environment.get(PASSWORD_VARIABLE)).filter(v -> !v.isEmpty());
        if (username.isEmpty() && password.isEmpty()) {
            return EnvironmentOutcome.NOT_REQUESTED;
        }
        if (username.isEmpty() || password.isEmpty()) {
            // e.g. the password's secret was removed after the first start, as it should be: nothing to do
            LOG.warn("{} ignored: only with {} set too does a start create the first system administrator",
                    username.isPresent() ? USERNAME_VARIABLE : PASSWORD_VARIABLE,
                    username.isPresent() ? PASSWORD_VARIABLE : USERNAME_VARIABLE);
            return EnvironmentOutcome.IGNORED_INCOMPLETE;
        }
        if (hasAdministrator()) {
            LOG.info("{} and {} ignored: tenant {} already has a system_admin", USERNAME_VARIABLE, PASSWORD_VARIABLE,
                    AdminRole.SYSTEM_TENANT);
            return EnvironmentOutcome.IGNORED_ADMIN_EXISTS;
        }
        try {
            Result created = create(username.get(), password.get(), false);
            LOG.warn("Created system administrator '{}' (id {}) in tenant {} from {} and {}; sign in at /system/auth/{}-U",
                    created.username(), created.userId(), AdminRole.SYSTEM_TENANT, USERNAME_VARIABLE, PASSWORD_VARIABLE,
                    AdminRole.SYSTEM_TENANT);
            return EnvironmentOutcome.CREATED;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(USERNAME_VARIABLE + ", " + PASSWORD_VARIABLE + ": " + e.getMessage());
        } catch (StoreException e) {
            // another instance starting at the same moment created it first (the username is unique)
            if (hasAdministrator()) {
                LOG.info("{} and {} ignored: another instance created the system_admin", USERNAME_VARIABLE, PASSWORD_VARIABLE);
                return EnvironmentOutcome.IGNORED_ADMIN_EXISTS;
            }
            throw e;
        }
    }

    private boolean hasAdministrator() {
        return !SubjectRoles.holders(sql, AdminRole.SYSTEM_TENANT, AdminRole.SYSTEM_ADMIN).isEmpty();
    }
}
