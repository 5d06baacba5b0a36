// Secrets: web applications only, at most two; a new secret's value is shown once.

import { api, tenantPath } from './api.js';
import { clear, copyButton, field, formAlert, h, showProblem, table, uid, when } from './dom.js';
import { isConfidential, platformLabel } from './platforms.js';

const MOST = 2;

export async function renderSecrets(panel, { tenant, client }) {
  if (!isConfidential(client.platform)) {
    panel.append(h('div', { class: 'card narrow' }, h('h2', {}, 'Secrets'),
      h('p', { id: 'no-secrets' }, `A ${platformLabel(client.platform)} application has no secrets: it runs where a secret `
        + 'cannot be kept from its users. It signs users in with Authorization Code and PKCE instead.')));
    return;
  }
  const path = tenantPath(tenant, 'clients', client.client_id, 'secrets');
  const revealed = h('div', { id: 'new-secret-area' });
  const controls = h('div');
  const list = h('div', { id: 'secret-list' });
  panel.append(h('h2', {}, 'Secrets'), revealed, controls, list);

  async function refresh() {
    const { data } = await api.get(path);
    const secrets = data.items || [];
    renderControls(secrets.length);
    renderList(secrets);
  }

  function renderControls(count) {
    clear(controls);
    const full = count >= MOST;
    const limitId = uid('limit');
    const add = h('button', { type: 'button', id: 'add-secret', disabled: full, 'aria-describedby': full ? limitId : null }, 'Add');
    add.addEventListener('click', () => showAddForm(add));
    controls.append(h('div', { class: 'actions' }, add,
      full ? h('p', { class: 'hint', id: limitId }, `Add is disabled: an application has at most ${MOST} secrets. `
        + 'Remove one to add another (add the new one before removing the old when you rotate).') : null));
  }

  function showAddForm(addButton) {
    addButton.disabled = true;
    const name = h('input', { type: 'text', maxlength: '100', autocomplete: 'off' });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const expiry = h('input', { type: 'date', min: tomorrow });
    const alert = formAlert();
    const form = h('form', { class: 'card narrow', novalidate: true, id: 'secret-form' }, alert,
      field('Name', name, { name: 'name', hint: 'Optional: primary, then secondary, unless you name it.' }),
      field('Expiry Date', expiry, { name: 'expires_at', hint: 'Optional: leave empty for a secret that does not expire.' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add secret'),
        h('button', { type: 'button', class: 'secondary', onclick: () => { form.remove(); addButton.disabled = false; addButton.focus(); } },
          'Cancel')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {};
      if (name.value.trim()) body.name = name.value.trim();
      if (expiry.value) body.expires_at = expiry.value;
      try {
        const { data } = await api.post(path, body);
        form.remove();
        reveal(data);
        await refresh();
      } catch (error) {
        showProblem(form, error);
      }
    });
    controls.append(form);
    name.focus();
  }

  function reveal(secret) {
    const value = h('input', { type: 'text', readonly: true, value: secret.value, class: 'secret-value', id: uid('secret') });
    const done = h('button', { type: 'button', class: 'secondary', onclick: () => { clear(revealed); document.getElementById('add-secret')?.focus(); } },
      'Done');
    revealed.replaceChildren(h('section', { class: 'card narrow', 'aria-labelledby': 'new-secret-title' },
      h('h3', { id: 'new-secret-title' }, `New secret: ${secret.name}`),
      h('p', { class: 'warning', role: 'alert', id: 'secret-warning' }, 'Copy this secret now. It is shown only this once: '
        + 'Portcullis keeps only a hash of it and cannot show it again. If you lose it, add another secret.'),
      h('div', { class: 'field' }, h('label', { for: value.id }, 'Secret value'),
        h('div', { class: 'copy-row' }, value, copyButton(() => value.value, 'Copy', 'Copy the secret value'))),
      h('div', { class: 'actions' }, done)));
    value.focus();
    value.select();
  }

  function renderList(secrets) {
    clear(list);
    if (secrets.length === 0) {
      list.append(h('p', { class: 'muted' }, 'No secrets yet. A Web application needs one to get tokens.'));
      return;
    }
    list.append(table('Secrets', ['Name', 'Created', 'Expiry Date', 'Status', ''], secrets.map((secret) => {
      const actions = h('div', { class: 'row-actions' });
      const remove = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Remove secret ${secret.name}` }, 'Remove');
      remove.addEventListener('click', () => confirmRemoval(actions, secret));
      actions.append(remove);
      return [secret.name, when(secret.created_at), secret.expires_at ? when(secret.expires_at) : 'Never',
        secret.expired ? 'Expired' : 'Active', actions];
    })));
  }

  function confirmRemoval(actions, secret) {
    const message = h('span', { role: 'status' }, `Remove ${secret.name}? Applications still using it stop getting tokens.`);
    const confirm = h('button', { type: 'button', class: 'danger small' }, 'Remove secret');
    const cancel = h('button', { type: 'button', class: 'secondary small' }, 'Cancel');
    confirm.addEventListener('click', async () => {
      try {
        await api.delete(`${path}/${encodeURIComponent(secret.id)}`);
        await refresh();
        document.getElementById('add-secret')?.focus();
      } catch (error) {
        actions.replaceChildren(h('span', { class: 'field-error', role: 'alert' }, error.detail || String(error)));
      }
    });
    cancel.addEventListener('click', () => refresh());
    actions.replaceChildren(message, confirm, cancel);
    cancel.focus();
  }

  await refresh();
}
