// An MCP server (the official TypeScript SDK) whose tools need an access token that Portcullis issued for it.
//
//   node server.mjs --issuer http://127.0.0.1:8080/system/auth/TMPRODB88619984-U --port 3001
//
// It publishes its RFC 9728 protected-resource metadata, naming the Portcullis realm as its authorization server, so
// that an MCP client that meets its 401 finds where to sign in; it accepts only tokens of that realm whose audience is
// this server's own URL (RFC 8707), checked against the realm's published keys, with the scope mcp.tools.
// Register the URL it prints as one of the tenant's resources: (see the README's MCP section).
import express from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { mcpAuthMetadataRouter, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';

function option(name, fallback) {
  const at = process.argv.indexOf('--' + name);
  if (at >= 0 && process.argv[at + 1]) return process.argv[at + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

const issuer = option('issuer');
const port = Number(option('port', '3001'));
const scope = option('scope', 'mcp.tools');
const resource = new URL(option('resource', `http://127.0.0.1:${port}/mcp`));

// The realm's RFC 8414 metadata gives its key set; the MCP SDK also republishes it for older clients.
const metadataResponse = await fetch(`${issuer}/.well-known/oauth-authorization-server`);
if (!metadataResponse.ok) throw new Error(`cannot read ${issuer}'s metadata: HTTP ${metadataResponse.status}`);
const oauthMetadata = await metadataResponse.json();
const keys = createRemoteJWKSet(new URL(oauthMetadata.jwks_uri));

const verifier = {
  async verifyAccessToken(token) {
    try {
      // typ at+jwt: an RFC 9068 access token, never an ID token; aud: this server and no other
      const { payload } = await jwtVerify(token, keys, { issuer, audience: resource.href, typ: 'at+jwt' });
      return {
        token,
        clientId: String(payload.client_id),
        scopes: String(payload.scope ?? '').split(' ').filter(Boolean),
        expiresAt: payload.exp,
        resource: new URL([payload.aud].flat()[0]),
        extra: { sub: payload.sub, username: payload.username },
      };
    } catch (error) {
      throw new InvalidTokenError(`the access token is not valid here: ${error.code ?? error.message}`);
    }
  },
};

function mcpServer() {
  const server = new McpServer({ name: 'portcullis-example', version: '1.0.0' });
  server.registerTool('whoami', {
    description: 'Says who the access token was issued for',
    inputSchema: { greeting: z.string().max(100).optional() },
  }, async ({ greeting }, extra) => {
    const auth = extra.authInfo;
    const text = `${greeting ?? 'Hello'}, ${auth.extra.username ?? auth.extra.sub} (client ${auth.clientId}, scopes ${auth.scopes.join(' ')})`;
    return { content: [{ type: 'text', text }] };
  });
  return server;
}

const app = express();
app.use(express.json({ limit: '64kb' }));
app.use(mcpAuthMetadataRouter({
  oauthMetadata,
  resourceServerUrl: resource,
  scopesSupported: [scope],
  resourceName: 'Portcullis example MCP server',
}));
const bearer = requireBearerAuth({
  verifier,
  requiredScopes: [scope],
  resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(resource),
  expectedResource: resource,
});
// Stateless Streamable HTTP: a server and transport per request.
app.post(resource.pathname, bearer, async (req, res) => {
  const server = mcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});
app.all(resource.pathname, bearer, (req, res) => res.status(405).set('Allow', 'POST').end());

app.listen(port, '127.0.0.1', () => console.log(`LISTENING ${resource.href} (authorization server ${issuer})`));
