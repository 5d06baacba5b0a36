// Client applications: the tenant's list, with Add.

import { all, tenantPath } from './api.js';
import { clear, h, table, yesNo } from './dom.js';
import { platformLabel } from './platforms.js';

export async function render({ tenant, container }) {
  const items = (await all(tenantPath(tenant, 'clients'))).sort((a, b) => a.name.localeCompare(b.name));
  clear(container);
  const base = `#/t/${encodeURIComponent(tenant)}/clients`;
  container.append(h('div', { class: 'page-head' },
    h('h1', {}, 'Client applications'),
    h('a', { class: 'button', href: `${base}/new`, id: 'add-client' }, 'Add')));
  if (items.length === 0) {
    container.append(h('p', { class: 'card' }, 'This tenant has no client applications yet. Choose Add to register one.'));
    return;
  }
  container.append(table('Client applications', ['Name', 'Platform', 'Client ID', 'Enabled'], items.map((client) => [
    h('a', { href: `${base}/${encodeURIComponent(client.client_id)}/general` }, client.name),
    platformLabel(client.platform),
    { td: 'id', content: client.client_id },
    yesNo(client.enabled),
  ])));
}
