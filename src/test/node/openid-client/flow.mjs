// openid-client v6 with its default OpenID discovery, against a Portcullis test server.
// Usage: node flow.mjs ISSUER CLIENT_ID REDIRECT_URI POST_LOGOUT_REDIRECT_URI
// Prints "AUTHORIZE <url>", reads the callback URL the browser landed on from stdin, then prints
// "RESULT <json>" with what each step returned, or "ERROR <message>" and exits 1.
import * as client from 'openid-client';
import { createInterface } from 'node:readline';

const [issuer, clientId, redirectUri, postLogoutRedirectUri] = process.argv.slice(2);

async function main() {
  // Plain http is only for the loopback test server; openid-client refuses it unless told.
  const config = await client.discovery(new URL(issuer), clientId, undefined, client.None(),
    { execute: [client.allowInsecureRequests] });
  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    nonce,
    state,
  });
  console.log(`AUTHORIZE ${url.href}`);

  const callback = await new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', (line) => { lines.close(); resolve(line.trim()); });
  });
  const tokens = await client.authorizationCodeGrant(config, new URL(callback),
    { pkceCodeVerifier: codeVerifier, expectedNonce: nonce, expectedState: state });
  const claims = tokens.claims();
  const userInfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  const endSession = client.buildEndSessionUrl(config, {
    id_token_hint: refreshed.id_token,
    post_logout_redirect_uri: postLogoutRedirectUri,
    state: 'signed-out',
  });
  console.log(`RESULT ${JSON.stringify({
    discoveredIssuer: config.serverMetadata().issuer,
    nonce,
    claims,
    userInfo,
    refreshedClaims: refreshed.claims(),
    refreshedIdTokenDiffers: refreshed.id_token !== tokens.id_token,
    endSessionUrl: endSession.href,
  })}`);
}

main().catch((error) => {
  console.log(`ERROR ${error?.name}: ${error?.message} ${error?.cause ? JSON.stringify(error.cause) : ''}`);
  process.exit(1);
});
