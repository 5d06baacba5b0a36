// Portcullis demo SPA, OpenID Connect page: oidc-client-ts as a public client, in plain ES modules.
//
// oidc-client-ts reads the realm's OpenID Provider document ({issuer}/.well-known/openid-configuration),
// sends the authorization request with PKCE (always) and a nonce, exchanges the code, checks the ID
// token's nonce and sub (and, on a refresh, that sub, auth_time and azp did not change), loads userinfo and
// checks its sub, refreshes with the rotating refresh token, and signs out through end_session_endpoint
// with the id_token_hint. It does NOT check the ID token's signature, issuer, audience or expiry (it leaves
// that to TLS): jose does, against the realm's jwks_uri. Both are imported from node_modules, no build step
// (openid.html's import map points oidc-client-ts's "jwt-decode" import at node_modules).
import { UserManager, WebStorageStateStore } from './node_modules/oidc-client-ts/dist/esm/oidc-client-ts.js';
import * as jose from './node_modules/jose/dist/webapi/index.js';

const CLIENT_ID = 'b4b2c1d9-4c19-4e8a-8e7a-9a0b1c2d3e4f';
const SCOPE = 'openid profile email core.aiservices.read';
const DEFAULT_SERVER = 'http://127.0.0.1:8080';
const REALMS = ['TMPRODB88619984-U', 'TMPRODB88619984-C'];

// sessionStorage (this tab only): which server and realm the sign-in in progress or the signed-in user
// belongs to, so that the page builds the same UserManager when the browser comes back.
const CURRENT = 'portcullis.openid.current';   // { server, realm }
const SERVER_PREFERENCE = 'portcullis.spa.server';

const $ = (id) => document.getElementById(id);
const jwksByUri = new Map();

/** This page's own address without query or fragment: the registered redirect and post-logout redirect URI. */
function pageUri() {
  return window.location.origin + window.location.pathname;
}

function issuerFor(server, realm) {
  return `${server.replace(/\/+$/, '')}/system/auth/${realm}`;
}

function userManager({ server, realm }) {
  return new UserManager({
    authority: issuerFor(server, realm),
    client_id: CLIENT_ID,
    redirect_uri: pageUri(),
    post_logout_redirect_uri: pageUri(),
    response_type: 'code',
    scope: SCOPE,
    loadUserInfo: true,             // merge {realm}/oauth2/userinfo into the profile (sub must match the ID token's)
    automaticSilentRenew: false,    // the Renew button does it
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

function loadCurrent() {
  return JSON.parse(sessionStorage.getItem(CURRENT) ?? 'null');
}

/**
 * Verifies what oidc-client-ts leaves unchecked: the ID token's signature against the discovered jwks_uri,
 * its issuer (the authority), its audience (this client) and its expiry; and azp, when present, is this client.
 */
async function verifyIdToken(manager, idToken) {
  const metadata = await manager.metadataService.getMetadata();
  if (metadata.issuer !== manager.settings.authority) {
    throw new Error(`the OpenID Provider document names issuer ${metadata.issuer}, not ${manager.settings.authority}`);
  }
  let jwks = jwksByUri.get(metadata.jwks_uri);
  if (!jwks) {
    jwks = jose.createRemoteJWKSet(new URL(metadata.jwks_uri));
    jwksByUri.set(metadata.jwks_uri, jwks);
  }
  const { payload, protectedHeader } = await jose.jwtVerify(idToken, jwks, {
    issuer: manager.settings.authority,
    audience: CLIENT_ID,
    requiredClaims: ['sub', 'iat', 'exp'],
  });
  if (payload.azp !== undefined && payload.azp !== CLIENT_ID) {
    throw new Error(`the ID token's azp is ${payload.azp}, not this client`);
  }
  return { payload, alg: protectedHeader.alg };
}

async function signIn(server, realm) {
  const current = { server, realm };
  sessionStorage.setItem(CURRENT, JSON.stringify(current));
  // oidc-client-ts adds PKCE by itself, but a nonce only when given one; it then requires it in the ID token.
  const nonce = jose.base64url.encode(crypto.getRandomValues(new Uint8Array(32)));
  await userManager(current).signinRedirect({ nonce });
}

/** Back from the authorization endpoint with ?code=&state= (or ?error=). */
async function completeSignIn() {
  const current = loadCurrent();
  try {
    if (!current) {
      throw new Error('an authorization response arrived, but no sign-in was started from this tab');
    }
    showChoice(current);
    const manager = userManager(current);
    const user = await manager.signinRedirectCallback();
    await showUser(manager, user, 'Signed in');
  } finally {
    // Take the code out of the address bar and the history.
    window.history.replaceState(null, '', window.location.pathname);
  }
}

async function renew() {
  const manager = userManager(loadCurrent());
  // With a refresh token in the stored user, signinSilent is a refresh_token grant (no iframe); the server
  // rotates the refresh token and returns a new access token and a new ID token.
  const user = await manager.signinSilent();
  await showUser(manager, user, 'Renewed');
}

async function signOut() {
  const manager = userManager(loadCurrent());
  // oidc-client-ts removes the stored user, then sends the browser to end_session_endpoint with the
  // id_token_hint, the post_logout_redirect_uri and a state it keeps to check the return against.
  await manager.signoutRedirect({ state: { from: 'openid.html' } });
}

/** Back from end_session_endpoint with ?state=. */
async function completeSignOut() {
  const current = loadCurrent();
  sessionStorage.removeItem(CURRENT);
  try {
    if (current) {
      showChoice(current);
      await userManager(current).signoutRedirectCallback();
    }
    showSignedOut('Signed out');
  } finally {
    window.history.replaceState(null, '', window.location.pathname);
  }
}

async function showUser(manager, user, verb) {
  const { payload, alg } = await verifyIdToken(manager, user.id_token);
  const accessToken = jose.decodeJwt(user.access_token);
  $('sign-in-form').hidden = true;
  $('session').hidden = false;
  $('issuer').textContent = manager.settings.authority;
  $('subject').textContent = `${user.profile.preferred_username ?? user.profile.email ?? ''} (sub ${payload.sub})`.trim();
  $('id-token-verified').textContent = `ID token verified: ${alg} signature against the realm's JWKS, iss, aud and exp`
    + ' (jose); state, nonce and the userinfo sub (oidc-client-ts)';
  $('access-token-id').textContent = accessToken.jti ?? '(no jti)';
  $('expires').textContent = new Date(user.expires_at * 1000).toLocaleTimeString();
  $('renew').disabled = !user.refresh_token;
  $('id-claims').textContent = JSON.stringify(payload, null, 2);
  $('profile').textContent = JSON.stringify(user.profile, null, 2);
  setStatus(`${verb}: ID token verified`, 'ok');
}

function showChoice({ server, realm }) {
  $('server').value = server;
  const radio = document.querySelector(`input[name="realm"][value="${CSS.escape(realm)}"]`);
  if (radio) {
    radio.checked = true;
  }
}

function showSignedOut(statusText) {
  $('sign-in-form').hidden = false;
  $('session').hidden = true;
  $('id-claims').textContent = '(none)';
  $('profile').textContent = '(none)';
  setStatus(statusText);
}

function setStatus(text, kind) {
  const status = $('status');
  status.textContent = text;
  status.className = kind ?? '';
}

function describe(error) {
  // oidc-client-ts's ErrorResponse carries the server's error and error_description
  if (error?.error) {
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
    showChoice({ server, realm: params.get('realm') });
  }

  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const chosenServer = $('server').value.trim();
    localStorage.setItem(SERVER_PREFERENCE, chosenServer);
    const realm = document.querySelector('input[name="realm"]:checked').value;
    run('Sign-in failed', () => signIn(chosenServer, realm));
  });
  $('renew').addEventListener('click', () => run('Renew failed', renew));
  $('sign-out').addEventListener('click', () => run('Sign-out failed', signOut));

  const current = loadCurrent();
  if (params.has('code') || params.has('error')) {
    await run('Sign-in failed', completeSignIn);
  } else if (params.has('state')) {
    await run('Sign-out failed', completeSignOut);
  } else if (current) {
    // A reload while signed in: check the stored ID token again rather than trusting it.
    await run('Stored sign-in rejected', async () => {
      showChoice(current);
      const manager = userManager(current);
      const user = await manager.getUser();
      if (user && !user.expired) {
        await showUser(manager, user, 'Signed in');
      } else {
        sessionStorage.removeItem(CURRENT);
        await manager.removeUser();
      }
    });
  }
  document.body.dataset.ready = 'true';
}

start();
