// Minimal node-oidc-provider 9 peer for the Portcullis benchmark.
// client_credentials with JWT access tokens, one process, 127.0.0.1 only. The resource indicator picks the
// algorithm: RESOURCE (default) RS256, RESOURCE + ':es256' ES256, RESOURCE + ':eddsa' EdDSA (Ed25519).
// Usage: NODE_PATH is not used for ESM, so run it with the cache dir's node_modules:
//   OIDC_PROVIDER_MODULE=/path/to/node_modules/oidc-provider/lib/index.js node oidc-provider.mjs
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const port = Number(process.env.PORT || 18083);
const host = '127.0.0.1';
const clientId = process.env.CLIENT_ID || 'bench-client';
const clientSecret = process.env.CLIENT_SECRET || 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const scope = process.env.SCOPE || 'app.bench.read';
const resource = process.env.RESOURCE || 'urn:portcullis:bench';
const modulePath = process.env.OIDC_PROVIDER_MODULE;
if (!modulePath) {
  console.error('OIDC_PROVIDER_MODULE must point at node_modules/oidc-provider/lib/index.js');
  process.exit(2);
}
const { default: Provider, errors } = await import(pathToFileURL(modulePath).href);

const key = (type, options, kid, alg) => ({
  ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg,
});
const keys = [
  key('rsa', { modulusLength: 2048 }, 'bench-rs256', 'RS256'),
  key('ec', { namedCurve: 'P-256' }, 'bench-es256', 'ES256'),
  key('ed25519', {}, 'bench-eddsa', 'EdDSA'),
];
const algOf = { [resource]: 'RS256', [`${resource}:es256`]: 'ES256', [`${resource}:eddsa`]: 'EdDSA' };

const provider = new Provider(`http://${host}:${port}`, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: 'client_secret_post',
    scope,
  }],
  jwks: { keys },
  enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256', 'EdDSA'] },
  scopes: [scope],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resourceIndicator) => {
        const alg = algOf[resourceIndicator];
        if (!alg) throw new errors.InvalidTarget();
        return { scope, accessTokenFormat: 'jwt', jwt: { sign: { alg } } };
      },
    },
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

const server = createServer(provider.callback());
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`oidc-provider listening on http://${host}:${port}`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
