package dev.portcullis.registration;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.client.ClientSecretHasher;
import dev.portcullis.ratelimit.RequestRateLimits;
import io.javalin.Javalin;

/**
 * Dynamic Client Registration (RFC 7591) with its management protocol (RFC 7592), off until a tenant turns it on
 * ({@code dynamic_registration}): clients register themselves as ordinary clients of the tenant, marked as
 * dynamically registered, with only the delegated scopes the tenant offers them. Each client address may register
 * {@code registration_requests_per_minute_per_address} clients a minute with a tenant (per instance), and a tenant
 * holds at most {@link Registrar#MAX_CLIENTS_PER_TENANT}.
 */
public final class DynamicClientRegistration implements Feature {

    private final RegistrationEndpoint endpoint;

    public DynamicClientRegistration(Core core) {
        int perMinute = core.config().registrationsPerMinute();
        this.endpoint = new RegistrationEndpoint(core.tenants(), new Registrar(core, new ClientSecretHasher(core.masterKey())),
                core.publicUrl(), (ctx, tenantId) -> core.rateLimits().take(tenantId, RequestRateLimits.Kind.REGISTER_PER_ADDRESS,
                        core.clientAddress().throttleKeyOf(ctx), perMinute));
    }

    @Override
    public void routes(Javalin app, String realmBase) {
        String register = realmBase + "/oauth2/register";
        app.post(register, endpoint::register);
        app.options(register, endpoint::preflight);
        app.get(register + "/{client_id}", endpoint::read);
        app.put(register + "/{client_id}", endpoint::update);
        app.delete(register + "/{client_id}", endpoint::delete);
        app.options(register + "/{client_id}", endpoint::preflight);
    }
}
