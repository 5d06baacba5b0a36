// Signing in: Authorization Code with PKCE (S256) against the tenant's -U realm, as the built-in client
// portcullis-console. The access token lives in sessionStorage, so it belongs to this tab only and is gone when
// the tab closes; the API gets it in an Authorization header, which no other site can make the browser send.

import { callbackUrl, clientId, consoleUrl, issuer } from './config.js';

const SESSION = 'portcullis.console.session';
const PENDING = 'portcullis.console.pending';

export class SignInError extends Error {}

export function session() {
  const stored = sessionStorage.getItem(SESSION);
  if (!stored) return null;
  try {
    const value = JSON.parse(stored);
    return value && value.accessToken ? value : null;
  } catch {
    return null;
  }
}

export function isExpired(current) {
  return !current || Date.now() >= current.expiresAt;
}

function randomText(bytes) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(bytes) {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function challengeOf(verifier) {
  return base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
}

/** The realm's OpenID configuration, which also tells whether the tenant exists and whether it defines openid. */
async function realmConfiguration(tenant) {
  let response;
  try {
    response = await fetch(`${issuer(tenant)}/.well-known/openid-configuration`, { credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new SignInError('The server did not answer. Check your connection and try again.');
  }
  if (response.status === 404) throw new SignInError(`This server has no tenant ${tenant} (or it is disabled).`);
  if (!response.ok) throw new SignInError(`The tenant's sign-in settings could not be read (HTTP ${response.status}).`);
  return response.json();
}

/** Sends the browser to the tenant's login page; `returnTo` is the console route to open afterwards. */
export async function signIn(tenant, returnTo = '') {
  const configuration = await realmConfiguration(tenant);
  // With openid the console gets an ID token, which lets sign-out end the realm session without asking again.
  const openid = (configuration.scopes_supported || []).includes('openid');
  const state = randomText(24);
  const verifier = randomText(48);
  sessionStorage.setItem(PENDING, JSON.stringify({ tenant, state, verifier, returnTo, openid }));
  const query = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: callbackUrl,
    scope: openid ? 'portcullis.admin openid' : 'portcullis.admin',
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  });
  location.assign(`${issuer(tenant)}/oauth2/authorize?${query}`);
}

/** At /admin/callback: checks state (and iss, RFC 9207), redeems the code, keeps the token; returns the route to open. */
export async function finishSignIn(url) {
  const pendingText = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  const pending = pendingText ? JSON.parse(pendingText) : null;
  const params = url.searchParams;
  if (!pending || params.get('state') !== pending.state) {
    throw new SignInError('This sign-in was not started in this tab, or it was already used. Sign in again.');
  }
  const expectedIssuer = issuer(pending.tenant);
  if (params.has('iss') && params.get('iss') !== expectedIssuer) {
    throw new SignInError('The sign-in answer came from another issuer than the tenant asked; it was ignored.');
  }
  if (params.has('error')) {
    throw new SignInError(`Sign-in failed: ${params.get('error_description') || params.get('error')}`);
  }
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.get('code') || '',
    redirect_uri: callbackUrl,
    client_id: clientId,
    code_verifier: pending.verifier,
  });
  const response = await fetch(`${expectedIssuer}/oauth2/token`, {
    method: 'POST', body: form, credentials: 'omit', cache: 'no-store',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new SignInError(`Sign-in failed: ${body.error_description || body.error || `HTTP ${response.status}`}`);
  }
  const claims = decodeClaims(body.access_token);
  sessionStorage.setItem(SESSION, JSON.stringify({
    tenant: pending.tenant,
    accessToken: body.access_token,
    idToken: body.id_token || null,
    expiresAt: Date.now() + (Number(body.expires_in) || 300) * 1000,
    subject: claims.sub || '',
    username: claims.username || claims.sub || '',
  }));
  return pending.returnTo || '';
}

/** The token's claims, for showing who is signed in; the API, not this, decides what the token may do. */
function decodeClaims(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(Array.from(atob(part), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/**
 * Revokes the access token, forgets it, and ends the realm session at the realm's logout endpoint, which returns
 * to the console. With an ID token the realm ends the session at once; without one it asks the user to confirm.
 */
export async function signOut() {
  const current = session();
  sessionStorage.removeItem(SESSION);
  if (!current) {
    location.assign(consoleUrl);
    return;
  }
  try {
    await fetch(`${issuer(current.tenant)}/oauth2/revoke`, {
      method: 'POST', credentials: 'omit', cache: 'no-store',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: current.accessToken, token_type_hint: 'access_token', client_id: clientId }),
    });
  } catch {
    // The token expires on its own; ending the realm session matters more than this call.
  }
  const query = new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: consoleUrl, state: 'signed-out' });
  if (current.idToken) query.set('id_token_hint', current.idToken);
  location.assign(`${issuer(current.tenant)}/logout?${query}`);
}

/** Forgets the token without leaving the page (it expired, or the API refused it). */
export function forget() {
  sessionStorage.removeItem(SESSION);
}
