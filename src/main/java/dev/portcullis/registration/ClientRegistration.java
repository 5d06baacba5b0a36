package dev.portcullis.registration;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.SoftwareID;
import com.nimbusds.oauth2.sdk.id.SoftwareVersion;
import com.nimbusds.openid.connect.sdk.rp.ApplicationType;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import dev.portcullis.client.ClientApplication;
import dev.portcullis.client.ClientRepository;
import dev.portcullis.client.ConsentMode;
import dev.portcullis.client.Platform;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The metadata of a dynamically registered client, as validated ({@link RegistrationRequest}) or as stored: the
 * client's row holds what every client has, {@link Registration} what RFC 7591 adds.
 *
 * @param authMethod {@code none} (public: spa, or native for {@code application_type: native}),
 *                   {@code client_secret_basic} or {@code client_secret_post} (confidential: web)
 */
record ClientRegistration(String name, Platform platform, String authMethod, List<String> redirectUris,
                          List<String> postLogoutRedirectUris, List<String> grantTypes, List<String> responseTypes,
                          Set<String> scopes, Optional<String> softwareId, Optional<String> softwareVersion,
                          Optional<String> idTokenSigningAlg, boolean requirePar) {

    static final String NONE = "none";

    /** What {@code client_registrations} holds for a client. */
    record Registration(String tenantId, String clientId, String tokenHash, String authMethod, List<String> grantTypes,
                        List<String> responseTypes, Optional<String> softwareId, Optional<String> softwareVersion,
                        long registeredAt) {
    }

    /** A stored client as its registration reads it; an administrator may have changed the client since. */
    static ClientRegistration of(ClientApplication client, Registration registration) {
        // an administrator who moved the client between public and confidential decided its authentication too
        String method = !client.platform().isConfidential() ? NONE
                : registration.authMethod().equals(NONE) ? "client_secret_basic" : registration.authMethod();
        return new ClientRegistration(client.name(), client.platform(), method, client.redirectUris(),
                client.postLogoutRedirectUris(), registration.grantTypes(), registration.responseTypes(),
                new LinkedHashSet<>(client.scopes().stream().sorted().toList()), registration.softwareId(),
                registration.softwareVersion(), client.idTokenSigningAlg(), client.requirePar());
    }

    boolean isConfidential() {
        return platform.isConfidential();
    }

    /**
     * The client's settings: consent is always asked (nobody vouched for the client) and PKCE always required, as
     * every public client needs it anyway; what only an administrator sets is taken from {@code current}, so an
     * update through the registration cannot re-enable a client an administrator disabled.
     */
    ClientRepository.Settings settings(Optional<ClientApplication> current) {
        return new ClientRepository.Settings(name, current.flatMap(ClientApplication::description), platform, scopes,
                redirectUris, current.map(ClientApplication::accessTokenTtl).orElse(OptionalInt.empty()), true,
                current.map(ClientApplication::consent).orElse(ConsentMode.REQUIRED),
                current.map(ClientApplication::enabled).orElse(true), postLogoutRedirectUris, idTokenSigningAlg, requirePar);
    }

    /** The registered metadata in RFC 7591 form, for Nimbus' {@code ClientInformation} to write. */
    OIDCClientMetadata metadata() {
        OIDCClientMetadata metadata = new OIDCClientMetadata();
        metadata.setName(name);
        metadata.setApplicationType(platform == Platform.NATIVE ? ApplicationType.NATIVE : ApplicationType.WEB);
        metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.parse(authMethod));
        metadata.setRedirectionURIs(redirectUris.stream().map(URI::create).collect(Collectors.toCollection(LinkedHashSet::new)));
        if (!postLogoutRedirectUris.isEmpty()) {
            metadata.setPostLogoutRedirectionURIs(postLogoutRedirectUris.stream().map(URI::create)
                    .collect(Collectors.toCollection(LinkedHashSet::new)));
        }
        metadata.setGrantTypes(grantTypes.stream().map(GrantType::new).collect(Collectors.toCollection(LinkedHashSet::new)));
        metadata.setResponseTypes(responseTypes.stream().map(type -> new ResponseType(type.split(" ")))
                .collect(Collectors.toCollection(LinkedHashSet::new)));
        metadata.setScope(new Scope(scopes.toArray(String[]::new)));
        softwareId.ifPresent(id -> metadata.setSoftwareID(new SoftwareID(id)));
        softwareVersion.ifPresent(version -> metadata.setSoftwareVersion(new SoftwareVersion(version)));
        idTokenSigningAlg.ifPresent(alg -> metadata.setIDTokenJWSAlg(JWSAlgorithm.parse(alg)));
        if (requirePar) {
            metadata.requiresPushedAuthorizationRequests(true);
        }
        return metadata;
    }
}
