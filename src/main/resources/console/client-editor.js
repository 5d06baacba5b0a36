// One client application: its name and tabs (General, Secrets, Permissions) and the Metadata button.

import { api, tenantPath } from './api.js';
import { clear, h } from './dom.js';
import { platformLabel } from './platforms.js';
import { renderGeneral } from './client-general.js';
import { renderSecrets } from './client-secrets.js';
import { renderPermissions } from './client-permissions.js';
import { openMetadata } from './client-metadata.js';

const TABS = [['general', 'General'], ['secrets', 'Secrets'], ['permissions', 'Permissions']];

/** Set before moving to another route, shown once by the page that opens next. */
let flash = null;

export function setFlash(message) {
  flash = message;
}

function takeFlash() {
  const message = flash;
  flash = null;
  return message;
}

function shell(container, tenant, client, activeTab, session) {
  clear(container);
  const base = `#/t/${encodeURIComponent(tenant)}/clients`;
  const metadata = h('button', { type: 'button', class: 'secondary', id: 'metadata-button', disabled: !client,
    'aria-describedby': client ? null : 'metadata-off' }, 'Metadata');
  const failure = h('p', { class: 'alert', role: 'alert', hidden: true, tabindex: '-1' });
  if (client) {
    metadata.addEventListener('click', async () => {
      failure.hidden = true;
      try {
        await openMetadata(tenant, client, metadata, session);
      } catch (error) {
        failure.textContent = error.detail || String(error.message || error);
        failure.hidden = false;
        failure.focus();
      }
    });
  }
  const tabs = h('ul', { class: 'tabs' }, TABS.map(([key, label]) => h('li', {}, client
    ? h('a', { href: `${base}/${encodeURIComponent(client.client_id)}/${key}`, 'aria-current': key === activeTab ? 'page' : null }, label)
    : key === activeTab
      ? h('a', { href: `${base}/new`, 'aria-current': 'page' }, label)
      : h('span', { class: 'tab-off', 'aria-disabled': 'true', title: 'Available after the first save' }, label))));
  const panel = h('section', { id: 'tab-panel', 'aria-labelledby': 'client-title' });
  container.append(
    h('p', {}, h('a', { href: base }, '← Client applications')),
    h('div', { class: 'page-head' },
      h('h1', { id: 'client-title' }, client ? client.name : 'Add client application'),
      h('div', { class: 'actions' }, metadata)),
    failure,
    client ? h('p', { class: 'muted' }, `${platformLabel(client.platform)} · ${client.enabled ? 'Enabled' : 'Disabled'}`)
      : h('p', { class: 'muted', id: 'metadata-off' }, 'Secrets, Permissions and Metadata are available after the first save.'),
    h('nav', { 'aria-label': 'Client application sections' }, tabs),
    panel);
  const message = takeFlash();
  if (message) panel.append(h('p', { class: 'notice', role: 'status' }, message));
  return panel;
}

export async function create({ tenant, container, go }) {
  const panel = shell(container, tenant, null, 'general');
  renderGeneral(panel, { tenant, client: null, etag: null, go, setFlash });
}

export async function open({ tenant, match, container, go, session }) {
  const clientId = decodeURIComponent(match[2]);
  const tab = match[3];
  const { data: client, etag } = await api.get(tenantPath(tenant, 'clients', clientId));
  const panel = shell(container, tenant, client, tab, session);
  const context = { tenant, client, etag, go, setFlash, session };
  if (tab === 'general') renderGeneral(panel, context);
  if (tab === 'secrets') await renderSecrets(panel, context);
  if (tab === 'permissions') await renderPermissions(panel, context);
}
