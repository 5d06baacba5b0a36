// The console's entry: sign-in state, the frame (who is signed in, navigation) and the routes (#/t/TENANT/...).

import { ApiError, api, onUnauthorized, tenantPath } from './api.js';
import { SignInError, finishSignIn, forget, isExpired, session, signIn, signOut } from './auth.js';
import { TENANT_ID, consoleUrl, publicUrl, systemTenant } from './config.js';
import { append, clear, field, formAlert, h } from './dom.js';
import * as clients from './clients.js';
import * as clientEditor from './client-editor.js';
import * as subjects from './subjects.js';
import * as scopes from './scopes.js';
import * as providers from './identity-providers.js';
import * as keys from './keys.js';
import * as audit from './audit.js';
import * as tenants from './tenants.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const LAST_TENANT = 'portcullis.console.lastTenant';

const routes = [
  { pattern: /^\/tenants$/, view: tenants.render, section: 'tenants' },
  { pattern: /^\/t\/([^/]+)\/clients$/, view: clients.render, section: 'clients' },
  { pattern: /^\/t\/([^/]+)\/clients\/new$/, view: clientEditor.create, section: 'clients' },
  { pattern: /^\/t\/([^/]+)\/clients\/([^/]+)\/(general|secrets|permissions)$/, view: clientEditor.open, section: 'clients' },
  { pattern: /^\/t\/([^/]+)\/(users|customers)$/, view: subjects.render, section: (m) => m[2] },
  { pattern: /^\/t\/([^/]+)\/scopes$/, view: scopes.render, section: 'scopes' },
  { pattern: /^\/t\/([^/]+)\/identity-providers$/, view: providers.render, section: 'identity-providers' },
  { pattern: /^\/t\/([^/]+)\/keys$/, view: keys.render, section: 'keys' },
  { pattern: /^\/t\/([^/]+)\/audit$/, view: audit.render, section: 'audit' },
];

const SECTIONS = [
  ['clients', 'Client applications'], ['users', 'Users'], ['customers', 'Customers'], ['scopes', 'Scopes'],
  ['identity-providers', 'Identity providers'], ['keys', 'Signing keys'], ['audit', 'Audit log'],
];

let access = null; // { systemWide } once the API has admitted the signed-in administrator

function go(route) {
  location.hash = `#${route}`;
}

function homeRoute() {
  return access && access.systemWide ? '/tenants' : `/t/${encodeURIComponent(session().tenant)}/clients`;
}

/** A fresh container for one page; a slower earlier page writes only to its own, detached one. */
function page() {
  const container = h('div', { class: 'page' });
  main.replaceChildren(container);
  return container;
}

function ready(container, view) {
  main.dataset.view = view;
  container.dataset.ready = 'true';
}

function renderWho() {
  clear(who);
  const current = session();
  if (!current) return;
  append(who, [
    h('span', {}, 'Signed in as ', h('strong', { id: 'signed-in-user' }, current.username)),
    h('span', { class: 'tenant-badge' }, 'Tenant ', h('strong', {}, current.tenant)),
    h('button', { type: 'button', class: 'secondary small', id: 'sign-out', onclick: () => signOut() }, 'Sign out'),
  ]);
}

function renderNav(tenant, section) {
  clear(nav);
  nav.hidden = false;
  const list = h('ul');
  if (access.systemWide) {
    list.append(h('li', {}, h('a', { href: '#/tenants', 'aria-current': section === 'tenants' ? 'page' : null }, 'Tenants')));
  }
  if (tenant) {
    list.append(h('li', { class: 'nav-heading', 'aria-hidden': 'true' }, `Tenant ${tenant}`));
    for (const [key, label] of SECTIONS) {
      list.append(h('li', {}, h('a', {
        href: `#/t/${encodeURIComponent(tenant)}/${key}`, 'aria-current': section === key ? 'page' : null,
      }, label)));
    }
  }
  nav.append(list);
}

async function route() {
  const current = session();
  if (!current || isExpired(current)) {
    forget();
    renderWho();
    if (current) {
      expiredPage(current.tenant);
    } else {
      signInPage();
    }
    return;
  }
  renderWho();
  if (!access) {
    access = await admittance(current);
    if (!access) return;
  }
  const path = location.hash.startsWith('#/') ? location.hash.slice(1) : '';
  if (!path) {
    go(homeRoute());
    return;
  }
  for (const candidate of routes) {
    const match = path.match(candidate.pattern);
    if (!match) continue;
    const tenant = candidate.pattern.source.startsWith('^\\/t\\/') ? decodeURIComponent(match[1]) : null;
    const section = typeof candidate.section === 'function' ? candidate.section(match) : candidate.section;
    renderNav(tenant || (access.systemWide ? null : current.tenant), section);
    const container = page();
    container.append(h('p', { class: 'muted' }, 'Loading…'));
    const context = { tenant, match, session: current, systemWide: access.systemWide, go, container, section };
    try {
      await candidate.view(context);
    } catch (error) {
      showError(container, error);
    }
    ready(container, section);
    return;
  }
  go(homeRoute());
}

/** Probes the API once: is the signed-in user an administrator, and of one tenant or of all? */
async function admittance(current) {
  try {
    if (current.tenant === systemTenant) {
      try {
        await api.get('/tenants', { limit: 1 });
        return { systemWide: true };
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 404) throw error;
      }
    }
    await api.get(tenantPath(current.tenant, 'clients'), { limit: 1 });
    return { systemWide: false };
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      notAdministratorPage(current);
      return null;
    }
    if (error instanceof ApiError && error.status === 401) return null;
    const container = page();
    showError(container, error);
    ready(container, 'error');
    return null;
  }
}

function showError(container, error) {
  clear(container);
  if (error instanceof ApiError && error.status === 403) {
    container.append(h('h1', {}, 'Not allowed'), h('p', { class: 'alert', role: 'alert' }, error.detail));
    return;
  }
  container.append(h('h1', {}, 'Something went wrong'),
    h('p', { class: 'alert', role: 'alert' }, error instanceof ApiError ? error.detail : String(error.message || error)));
  if (!(error instanceof ApiError)) console.error(error);
}

function notAdministratorPage(current) {
  nav.hidden = true;
  const container = page();
  container.append(h('section', { class: 'card sign-in' },
    h('h1', {}, 'Not an administrator'),
    h('p', { id: 'not-admin' }, 'You are signed in as ', h('strong', {}, current.username), ', who is not an administrator of ',
      h('strong', {}, current.tenant), '.'),
    h('p', { class: 'muted' }, 'Ask an administrator of this tenant to give you the role partition_admin, or sign out and '
      + 'sign in as an administrator.'),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => signOut() }, 'Sign out'))));
  ready(container, 'not-administrator');
}

function expiredPage(tenant) {
  nav.hidden = true;
  const container = page();
  const returnTo = location.hash;
  container.append(h('section', { class: 'card sign-in' },
    h('h1', {}, 'Your session has ended'),
    h('p', {}, 'Your sign-in to the console has expired. Sign in again to continue where you were.'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => signIn(tenant, returnTo).catch((e) => showError(container, e)) }, 'Sign in again'),
      h('button', { type: 'button', class: 'secondary', onclick: () => { access = null; signInPage(); } }, 'Another tenant'))));
  ready(container, 'expired');
}

function signInPage(message) {
  nav.hidden = true;
  const container = page();
  const input = h('input', { type: 'text', name: 'tenant', autocomplete: 'off', spellcheck: 'false', required: true,
    maxlength: '64', value: sessionStorage.getItem(LAST_TENANT) || '' });
  const alert = formAlert();
  const form = h('form', { novalidate: true }, alert,
    field('Tenant ID', input, { name: 'tenant', hint: 'The ID of the tenant you administer. System administrators enter '
      + `${systemTenant}.` }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const tenant = input.value.trim();
    if (!TENANT_ID.test(tenant)) {
      alert.textContent = 'Enter a tenant ID: letters, digits, _ or -, starting with a letter or digit.';
      alert.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    await startSignIn(tenant, container, alert);
  });
  container.append(h('section', { class: 'card sign-in' },
    h('h1', {}, 'Sign in to the console'),
    message ? h('p', { class: message.kind, role: 'status' }, message.text) : null,
    h('p', { class: 'muted' }, 'You sign in on your tenant\'s own sign-in page, then come back here.'),
    form));
  ready(container, 'sign-in');
  return { alert };
}

async function startSignIn(tenant, container, alert) {
  sessionStorage.setItem(LAST_TENANT, tenant);
  try {
    await signIn(tenant, location.hash);
  } catch (error) {
    alert.textContent = error instanceof SignInError ? error.message : 'The sign-in could not start.';
    alert.hidden = false;
    alert.focus();
  }
}

async function start() {
  // The sign-in returns to the public URL, and sessionStorage belongs to one origin: use the console there.
  if (new URL(publicUrl).origin !== location.origin) {
    location.replace(`${consoleUrl}${location.search}${location.hash}`);
    return;
  }
  const url = new URL(location.href);
  onUnauthorized(() => {
    const current = session();
    forget();
    access = null;
    renderWho();
    if (current) expiredPage(current.tenant);
  });
  if (url.pathname.endsWith('/admin/callback')) {
    try {
      const returnTo = await finishSignIn(url);
      history.replaceState(null, '', `${consoleUrl}${returnTo || ''}`);
    } catch (error) {
      history.replaceState(null, '', consoleUrl);
      signInPage({ kind: 'alert', text: error instanceof SignInError ? error.message : 'Sign-in failed.' });
      return;
    }
  } else if (url.searchParams.get('state') === 'signed-out') {
    history.replaceState(null, '', consoleUrl);
    forget();
    signInPage({ kind: 'notice', text: 'You are signed out.' });
    return;
  }
  const askedTenant = url.searchParams.get('tenant');
  if (askedTenant && !session()) {
    history.replaceState(null, '', `${consoleUrl}${location.hash}`);
    if (TENANT_ID.test(askedTenant)) {
      const { alert } = signInPage();
      await startSignIn(askedTenant, main, alert);
      return;
    }
  }
  document.querySelector('.skip-link').addEventListener('click', (event) => {
    event.preventDefault(); // the hash holds the route
    main.focus();
  });
  window.addEventListener('hashchange', async () => {
    if (!location.hash.startsWith('#/')) return;
    await route();
    main.focus({ preventScroll: false });
  });
  await route();
}

start();
