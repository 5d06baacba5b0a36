// Portcullis demo SPA: authorization code flow with PKCE, as a public client, in plain ES modules.
//
// oauth4webapi does discovery (RFC 8414), PKCE, the authorization response check (state and the
// RFC 9207 `iss` parameter), the code exchange and the refresh; jose verifies the access token's
// signature against the realm's jwks_uri. Both are imported straight from node_modules: no build step.
import * as oauth from './node_modules/oauth4webapi/build/index.js';
import * as jose from './node_modules/jose/dist/webapi/index.js';

const CLIENT_ID = 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f';
const SCOPE = 'core.aiservices.read core.aiservices.write';
const DEFAULT_SERVER = 'http://127.0.0.1:8080';
const REALMS = ['TMPRODB88619984-U', 'TMPRODB88619984-C'];

// sessionStorage keys. sessionStorage is per tab and gone when the tab closes; the PKCE verifier and
// the state never leave this tab. (A production app would rather keep tokens in memory only.)
const PENDING = 'portcullis.spa.pending';   // { server, realm, issuer, codeVerifier, state, redirectUri }
const SESSION = 'portcullis.spa.session';   // { server, realm, issuer, accessToken, refreshToken }
const SIGNED_OUT = 'portcullis.spa.signedOut';
const SERVER_PREFERENCE = 'portcullis.spa.server';

const client = { client_id: CLIENT_ID, token_endpoint_auth_method: 'none' };
const clientAuthentication = oauth.None();

const $ = (id) => document.getElementById(id);

/** This page's own address, which is the registered redirect URI (http://127.0.0.1:5173/ or http://localhost:5173/). */
function redirectUri() {
  return new URL('/', window.location.href).href;
}

function issuerFor(server, realm) {
  return `${server.replace(/\/+$/, '')}/system/auth/${realm}`;
}

/**
 * oauth4webapi refuses plain http:// endpoints unless it is given its `allowInsecureRequests` option.
 * We pass it ONLY for a server on this machine (http://127.0.0.1, http://localhost, http://[::1]),
 * which is how `./portcullis serve` runs by default; any other http:// server is refused as usual.
 */
function requestOptions(issuer) {
  const url = new URL(issuer);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return url.protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true } : {};
}

/** RFC 8414 discovery: GET /.well-known/oauth-authorization-server/system/auth/{realm}; checks the issuer. */
async function discover(issuer) {
  const issuerUrl = new URL(issuer);
  const response = await oauth.discoveryRequest(issuerUrl, { algorithm: 'oauth2', ...requestOptions(issuer) });
  return oauth.processDiscoveryResponse(issuerUrl, response);
}

/** Verifies the access token's signature against jwks_uri, its issuer and its RFC 9068 header typ. */
async function verifyAccessToken(as, accessToken) {
  const jwks = jose.createRemoteJWKSet(new URL(as.jwks_uri));
  const { payload } = await jose.jwtVerify(accessToken, jwks, { issuer: as.issuer, typ: 'at+jwt' });
  return payload;
}

async function signIn(server, realm) {
  const issuer = issuerFor(server, realm);
  const as = await discover(issuer);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING, JSON.stringify({ server, realm, issuer, codeVerifier, state, redirectUri: redirectUri() }));

  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', CLIENT_ID);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('scope', SCOPE);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  window.location.assign(url.href);
}

/** Back from the authorization server with ?code=&state=&iss= (or ?error=). */
async function completeSignIn(params) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
  sessionStorage.removeItem(PENDING);
  // Take the code out of the address bar and the history.
  window.history.replaceState(null, '', window.location.pathname);
  if (!pending) {
    throw new Error('an authorization response arrived, but no sign-in was started from this tab');
  }
  selectRealm(pending.realm);
  $('server').value = pending.server;

  const as = await discover(pending.issuer);
  // Checks state, and that `iss` equals the issuer we sent the user to (RFC 9207 mix-up defence).
  const callbackParameters = oauth.validateAuthResponse(as, client, params, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuthentication, callbackParameters,
    pending.redirectUri, pending.codeVerifier, requestOptions(pending.issuer));
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  const claims = await verifyAccessToken(as, tokens.access_token);

  saveSession({ server: pending.server, realm: pending.realm, issuer: as.issuer,
    accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? null });
  showSession(claims, 'Token verified');
}

async function refresh() {
  const session = loadSession();
  if (!session?.refreshToken) {
    throw new Error('no refresh token: sign in again');
  }
  const as = await discover(session.issuer);
  const response = await oauth.refreshTokenGrantRequest(as, client, clientAuthentication, session.refreshToken,
    requestOptions(session.issuer));
  const tokens = await oauth.processRefreshTokenResponse(as, client, response);
  const claims = await verifyAccessToken(as, tokens.access_token);
  // The server rotates refresh tokens: keep the new one (the old one is now spent).
  saveSession({ ...session, accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? session.refreshToken });
  showSession(claims, 'Refreshed: new token verified');
}

async function signOut() {
  const session = loadSession();
  sessionStorage.removeItem(SESSION);
  sessionStorage.removeItem(PENDING);
  if (!session) {
    showSignedOut('Signed out');
    return;
  }
  sessionStorage.setItem(SIGNED_OUT, '1');
  let logout = `${session.issuer}/logout`;
  try {
    logout = (await discover(session.issuer)).end_session_endpoint ?? logout;
  } catch {
    // The server is unreachable: still navigate to its conventional logout address.
  }
  const url = new URL(logout);
  url.searchParams.set('client_id', CLIENT_ID);
  url.searchParams.set('post_logout_redirect_uri', redirectUri());
  window.location.assign(url.href);
}

function loadSession() {
  return JSON.parse(sessionStorage.getItem(SESSION) ?? 'null');
}

function saveSession(session) {
  sessionStorage.setItem(SESSION, JSON.stringify(session));
}

function selectRealm(realm) {
  const radio = document.querySelector(`input[name="realm"][value="${CSS.escape(realm)}"]`);
  if (radio) {
    radio.checked = true;
  }
}

function setStatus(text, kind) {
  const status = $('status');
  status.textContent = text;
  status.className = kind ?? '';
}

function showSession(claims, statusText) {
  const session = loadSession();
  $('sign-in-form').hidden = true;
  $('session').hidden = false;
  $('issuer').textContent = session.issuer;
  $('refresh').disabled = !session.refreshToken;
  $('claims').textContent = JSON.stringify(claims, null, 2);
  setStatus(statusText, 'ok');
}

function showSignedOut(statusText) {
  $('sign-in-form').hidden = false;
  $('session').hidden = true;
  $('claims').textContent = '(none)';
  setStatus(statusText);
}

function describe(error) {
  if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
    return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  }
  return error?.message ?? String(error);
}

/** Runs an action with the buttons disabled, showing any failure in the status element. */
async function run(failurePrefix, action) {
  const buttons = document.querySelectorAll('button');
  buttons.forEach((button) => { button.disabled = true; });
  try {
    await action();
  } catch (error) {
    console.error(error);
    setStatus(`${failurePrefix}: ${describe(error)}`, 'error');
  } finally {
    buttons.forEach((button) => { button.disabled = false; });
    if (!$('session').hidden) {
      $('refresh').disabled = !loadSession()?.refreshToken;
    }
  }
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  const server = params.get('server') ?? localStorage.getItem(SERVER_PREFERENCE) ?? DEFAULT_SERVER;
  $('server').value = server;
  if (params.has('server')) {
    localStorage.setItem(SERVER_PREFERENCE, server);
  }
  if (REALMS.includes(params.get('realm'))) {
    selectRealm(params.get('realm'));
  }

  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const chosenServer = $('server').value.trim();
    localStorage.setItem(SERVER_PREFERENCE, chosenServer);
    const realm = document.querySelector('input[name="realm"]:checked').value;
    run('Sign-in failed', () => signIn(chosenServer, realm));
  });
  $('refresh').addEventListener('click', () => run('Refresh failed', refresh));
  $('sign-out').addEventListener('click', () => run('Sign-out failed', signOut));

  if (params.has('code') || params.has('error')) {
    await run('Sign-in failed', () => completeSignIn(params));
  } else if (loadSession()) {
    // A reload while signed in: verify the stored token again rather than trusting it.
    await run('Stored token rejected', async () => {
      const session = loadSession();
      const claims = await verifyAccessToken(await discover(session.issuer), session.accessToken);
      showSession(claims, 'Token verified');
    });
  } else if (sessionStorage.getItem(SIGNED_OUT)) {
    sessionStorage.removeItem(SIGNED_OUT);
    showSignedOut('Signed out');
  }
  document.body.dataset.ready = 'true';
}

start();
