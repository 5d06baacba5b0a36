// Signing keys: the tenant's published keys; rotate starts a new one (published first, used after the caches refresh).

import { api, isMissingResource, tenantPath } from './api.js';
import { clear, h, table, when } from './dom.js';

export async function render({ tenant, container }) {
  const path = tenantPath(tenant, 'keys');
  const listArea = h('div', { id: 'key-list' });
  const status = h('p', { role: 'status', class: 'notice', hidden: true });
  const rotate = h('button', { type: 'button', id: 'rotate-key' }, 'Rotate');
  const confirmArea = h('div');

  async function refresh() {
    const { data } = await api.get(path);
    clear(listArea);
    listArea.append(table('Signing keys', ['Key ID', 'Algorithm', 'Status', 'Created', 'Used from', 'Retires'],
      data.items.map((key) => [{ td: 'id', content: key.kid }, key.algorithm, key.status, when(key.created_at),
        when(key.activates_at), when(key.retires_at)])));
  }

  rotate.addEventListener('click', () => {
    rotate.disabled = true;
    const yes = h('button', { type: 'button', class: 'danger' }, 'Rotate now');
    const no = h('button', { type: 'button', class: 'secondary' }, 'Cancel');
    const done = () => { clear(confirmArea); rotate.disabled = false; };
    no.addEventListener('click', () => { done(); rotate.focus(); });
    yes.addEventListener('click', async () => {
      try {
        const { data, status: code } = await api.post(`${path}/rotate`, {});
        await refresh(); // the list first, then the message that points at it
        status.textContent = code === 201 ? `New key ${data.kid} published; tokens are signed with it from ${when(data.activates_at)}.`
          : `A rotation is already under way: key ${data.kid} takes over at ${when(data.activates_at)}.`;
        status.hidden = false;
        done();
        rotate.focus();
      } catch (error) {
        confirmArea.replaceChildren(h('p', { class: 'alert', role: 'alert' }, error.detail || String(error)));
        rotate.disabled = false;
      }
    });
    confirmArea.replaceChildren(h('div', { class: 'warning' },
      h('p', {}, 'Rotate the signing key? The new key is published at once and signs tokens once every API has had time to '
        + 'fetch it; the current key keeps verifying the tokens it signed until they expire.'),
      h('div', { class: 'actions' }, yes, no)));
    no.focus();
  });

  clear(container);
  container.append(h('div', { class: 'page-head' }, h('h1', {}, 'Signing keys'), rotate), confirmArea, status, listArea);
  try {
    await refresh();
  } catch (error) {
    if (!isMissingResource(error)) throw error;
    listArea.replaceChildren(h('p', { class: 'alert' }, 'This server\'s admin API does not manage signing keys yet.'));
    rotate.disabled = true;
  }
}
