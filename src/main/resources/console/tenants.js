// Tenants, for system administrators: the list, create, disable or enable, and which one to manage.

import { ApiError, api, patchCurrent } from './api.js';
import { clear, field, formAlert, h, showProblem, table, yesNo } from './dom.js';

export async function render({ container }) {
  const listArea = h('div', { id: 'tenant-list' });
  const status = h('p', { class: 'notice', role: 'status', hidden: true });
  const search = h('input', { type: 'search', autocomplete: 'off', maxlength: '200' });
  const searchForm = h('form', { class: 'filters', role: 'search' }, field('Search tenants', search, { hint: 'A part of the name.' }),
    h('button', { type: 'submit', class: 'secondary' }, 'Search'));
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
  let cursor = null;
  const tenants = [];

  const id = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '64' });
  const name = h('input', { type: 'text', autocomplete: 'off', maxlength: '200' });
  const alert = formAlert();
  const form = h('form', { class: 'card narrow', novalidate: true, id: 'tenant-form' }, alert, h('h2', {}, 'Create a tenant'),
    field('Tenant ID', id, { name: 'id', hint: 'Letters, digits, _ or -; it is part of every URL of the tenant and cannot change.' }),
    field('Name', name, { name: 'name' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create tenant')));

  async function load(reset) {
    if (reset) { tenants.length = 0; cursor = null; }
    const { data } = await api.get('/tenants', { name: search.value.trim(), cursor, limit: 100 });
    tenants.push(...data.items);
    cursor = data.next_cursor || null;
    more.hidden = !cursor;
    renderList();
  }

  function renderList() {
    clear(listArea);
    listArea.append(table('Tenants', ['ID', 'Name', 'Enabled', ''], tenants.map((tenant) => {
      const cell = h('div', { class: 'row-actions' },
        h('a', { class: 'button small secondary', href: `#/t/${encodeURIComponent(tenant.id)}/clients`,
          'aria-label': `Manage tenant ${tenant.id}` }, 'Manage'));
      if (tenant.id !== 'system') {
        const toggle = h('button', { type: 'button', class: 'secondary small', 'aria-label': `${tenant.enabled ? 'Disable' : 'Enable'} tenant ${tenant.id}` },
          tenant.enabled ? 'Disable' : 'Enable');
        toggle.addEventListener('click', async () => {
          try {
            const { data } = await patchCurrent(`/tenants/${encodeURIComponent(tenant.id)}`, { enabled: !tenant.enabled });
            Object.assign(tenant, data);
            status.textContent = `Tenant ${tenant.id} is ${tenant.enabled ? 'enabled' : 'disabled'}.`;
            status.hidden = false;
            renderList();
          } catch (error) {
            cell.append(h('span', { class: 'field-error', role: 'alert' }, error instanceof ApiError ? error.detail : String(error)));
          }
        });
        cell.append(toggle);
      }
      return [{ td: 'id', content: tenant.id }, tenant.name, yesNo(tenant.enabled), cell];
    })));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const { data } = await api.post('/tenants', { id: id.value.trim(), name: name.value.trim() });
      form.reset();
      alert.hidden = true;
      status.textContent = `Created tenant ${data.id}. Choose Manage to register its applications and users.`;
      status.hidden = false;
      await load(true);
    } catch (error) {
      showProblem(form, error);
    }
  });
  searchForm.addEventListener('submit', (event) => {
    event.preventDefault();
    load(true).catch((error) => showProblem(searchForm, error));
  });
  more.addEventListener('click', () => load(false));

  clear(container);
  container.append(h('h1', {}, 'Tenants'), status, searchForm, listArea, h('div', { class: 'actions' }, more), form);
  await load(true);
}
