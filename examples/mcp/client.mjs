// An MCP client (the official TypeScript SDK) that signs in through Portcullis on its own: it meets the MCP server's
// 401, reads the server's protected-resource metadata, discovers the Portcullis realm, identifies itself with a Client
// ID Metadata Document (--client-metadata-url) or registers dynamically (RFC 7591), and runs the authorization code
// flow with PKCE for a token bound to the server (RFC 8707). Then it calls the whoami tool.
//
//   node client.mjs --server http://127.0.0.1:3001/mcp [--client-metadata-url https://app.example/client.json | --client-id ID]
//
// It prints "AUTHORIZE <url>": open it, sign in, allow, then paste the address the browser was sent to (the
// redirect to http://127.0.0.1:<port>/callback, which nothing needs to answer). The tests drive the same lines.
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

function option(name, fallback) {
  const at = process.argv.indexOf('--' + name);
  if (at >= 0 && process.argv[at + 1]) return process.argv[at + 1];
  return fallback;
}

const serverUrl = new URL(option('server', 'http://127.0.0.1:3001/mcp'));
const redirectUrl = option('redirect-uri', 'http://127.0.0.1:33418/callback');
const clientMetadataUrl = option('client-metadata-url');
// a client registered by hand in the tenant (a native client with the redirect URI above), instead of either way
const clientId = option('client-id');
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

class TerminalAuthProvider {
  constructor() { this.callback = null; this.client = clientId ? { client_id: clientId } : undefined; }
  get redirectUrl() { return redirectUrl; }
  get clientMetadataUrl() { return clientMetadataUrl; }
  get clientMetadata() {
    return {
      client_name: 'Portcullis example MCP client',
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() { return this.client; }
  saveClientInformation(client) { this.client = client; }
  tokens() { return this.savedTokens; }
  saveTokens(tokens) { this.savedTokens = tokens; }
  saveCodeVerifier(verifier) { this.verifier = verifier; }
  codeVerifier() { return this.verifier; }
  async redirectToAuthorization(url) {
    console.log(`AUTHORIZE ${url.href}`);
    this.callback = (async () => (await lines.next()).value)();
  }
}

const provider = new TerminalAuthProvider();
const client = new Client({ name: 'portcullis-example-client', version: '1.0.0' });
try {
  await client.connect(new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }));
} catch (error) {
  if (!(error instanceof UnauthorizedError) || !provider.callback) throw error;
  const callback = new URL((await provider.callback).trim());
  if (callback.searchParams.get('error')) {
    throw new Error(`the authorization server refused: ${callback.searchParams.get('error')} ${callback.searchParams.get('error_description')}`);
  }
  const transport = new StreamableHTTPClientTransport(serverUrl, { authProvider: provider });
  await transport.finishAuth(callback.searchParams.get('code'));
  await client.connect(new StreamableHTTPClientTransport(serverUrl, { authProvider: provider }));
}
const result = await client.callTool({ name: 'whoami', arguments: { greeting: 'Hi' } });
console.log(`RESULT ${JSON.stringify({ clientId: provider.client?.client_id, tokens: provider.savedTokens, result })}`);
await client.close();
process.exit(0);
