package dev.portcullis.oidc;

import dev.portcullis.Core;
import dev.portcullis.Feature;
import dev.portcullis.dpop.DpopProofs;
import dev.portcullis.token.TokenResponseExtension;
import dev.portcullis.web.CorsPolicy;
import io.javalin.Javalin;

import java.util.List;

/**
 * OpenID Connect Core 1.0 on the authorization code flow: ID tokens in the token responses of
 * sign-ins with the {@code openid} scope, and the userinfo endpoint. The sign-in pages handle the
 * OpenID request parameters and logout; the discovery document is served with the RFC 8414 metadata.
 */
public final class OpenIdConnect implements Feature {

    private final IdTokenIssuer idTokens;
    private final UserInfoEndpoint userInfo;

    public OpenIdConnect(Core core) {
        this.idTokens = new IdTokenIssuer(core.keys(), core.publicUrl(), core.clock());
        this.userInfo = new UserInfoEndpoint(core.tenants(), core.accessTokens(), core.subjects(),
                new CorsPolicy(core.clientRepository(), core.lookups()), DpopProofs.of(core), core.publicUrl(),
                core.config().apiUrl());
    }

    @Override
    public void routes(Javalin app, String realmBase) {
        app.get(realmBase + "/oauth2/userinfo", userInfo::handle);
        app.post(realmBase + "/oauth2/userinfo", userInfo::handle);
        app.options(realmBase + "/oauth2/userinfo", userInfo::preflight);
    }

    @Override
    public List<TokenResponseExtension> tokenResponseExtensions() {
        return List.of(idTokens);
    }
}
