// Scopes: the tenant's list by kind; add one with its kind and description; delete one no client holds.

import { all, api, tenantPath } from './api.js';
import { clear, field, formAlert, h, showProblem, table } from './dom.js';
import { KINDS, kindLabel } from './platforms.js';

export async function render({ tenant, container }) {
  const path = tenantPath(tenant, 'scopes');
  const listArea = h('div', { id: 'scope-list' });
  const status = h('p', { class: 'notice', role: 'status', hidden: true });

  const name = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', maxlength: '200' });
  const kind = h('select', {}, KINDS.map((choice) => h('option', { value: choice.value }, choice.label)));
  const description = h('input', { type: 'text', maxlength: '500', autocomplete: 'off' });
  const alert = formAlert();
  const kindHint = h('p', { class: 'hint' });
  const form = h('form', { class: 'card narrow', novalidate: true, id: 'scope-form' }, alert, h('h2', {}, 'Add a scope'),
    field('Name', name, { name: 'name', hint: 'For example knowledge.portalmgr.read: no spaces or quotes.' }),
    field('Kind', kind, { name: 'kind' }), kindHint,
    field('Description', description, { name: 'description', hint: 'Shown to users on the consent page and to administrators here.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add scope')));
  const syncHint = () => { kindHint.textContent = KINDS.find((k) => k.value === kind.value).flow; };
  kind.addEventListener('change', syncHint);
  syncHint();

  async function refresh() {
    const scopes = await all(path);
    clear(listArea);
    listArea.append(table('Scopes', ['Name', 'Kind', 'Description', ''], scopes.map((scope) => {
      const cell = h('div', { class: 'row-actions' });
      if (scope.built_in) {
        cell.append(h('span', { class: 'muted' }, 'Built in'));
      } else {
        const remove = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Delete scope ${scope.name}` }, 'Delete');
        remove.addEventListener('click', async () => {
          try {
            await api.delete(`${path}/${encodeURIComponent(scope.name)}`);
            status.textContent = `Deleted scope ${scope.name}.`;
            status.hidden = false;
            await refresh();
          } catch (error) {
            cell.replaceChildren(h('span', { class: 'field-error', role: 'alert' }, error.detail || String(error)));
          }
        });
        cell.append(remove);
      }
      return [{ td: 'id', content: scope.name }, kindLabel(scope.kind), scope.description || '—', cell];
    })));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    status.hidden = true;
    const body = { name: name.value.trim(), kind: kind.value };
    if (description.value.trim()) body.description = description.value.trim();
    try {
      const { data } = await api.post(path, body);
      name.value = '';
      description.value = '';
      alert.hidden = true;
      status.textContent = `Added scope ${data.name}. Assign it to applications on their Permissions tab.`;
      status.hidden = false;
      await refresh();
    } catch (error) {
      showProblem(form, error);
    }
  });

  clear(container);
  container.append(h('h1', {}, 'Scopes'), status, listArea, form);
  await refresh();
}
