// Permissions: the tenant's scopes by kind (Application, Delegated, On-behalf-of), each a checkbox; Save assigns them.
// A kind the platform cannot use stays visible, with the reason, rather than hidden.

import { all, api, explain, isMissingResource, tenantPath } from './api.js';
import { checkbox, clearProblems, formAlert, h, showProblem } from './dom.js';
import { KINDS, unusableBecause } from './platforms.js';

export async function renderPermissions(panel, { tenant, client, etag }) {
  let scopes;
  try {
    scopes = await all(tenantPath(tenant, 'scopes'));
  } catch (error) {
    if (!isMissingResource(error)) throw error;
    panel.append(h('p', { class: 'alert', role: 'alert' }, 'This server\'s admin API cannot list scopes yet, so permissions '
      + 'cannot be chosen here. Assign them in the tenants file or through the API.'));
    return;
  }
  const assigned = new Set(client.scopes);
  const boxes = new Map();
  const alert = formAlert();
  const saved = h('p', { class: 'notice', role: 'status', hidden: true });
  const form = h('form', { novalidate: true, class: 'narrow', id: 'permissions-form' }, alert, saved,
    h('p', { class: 'explain' }, 'Choose the scopes this application may ask for. Each kind of scope belongs to a different '
      + 'way of getting a token.'));
  const scopesLink = `#/t/${encodeURIComponent(tenant)}/scopes`;

  for (const kind of KINDS) {
    const ofKind = scopes.filter((scope) => scope.kind === kind.value).sort((a, b) => a.name.localeCompare(b.name));
    const reason = unusableBecause(client.platform, kind.value);
    const set = h('fieldset', { class: 'card', 'data-kind': kind.value }, h('legend', {}, kind.label),
      h('p', { class: 'explain' }, kind.flow));
    if (reason) set.append(h('p', { class: 'warning', 'data-reason': kind.value }, reason));
    if (ofKind.length === 0) {
      set.append(h('p', { class: 'muted' }, `This tenant has no ${kind.label.toLowerCase()} scopes. `,
        h('a', { href: scopesLink }, 'Add one on the Scopes page'), '.'));
    }
    for (const scope of ofKind) {
      const holds = assigned.has(scope.name);
      // an unusable scope already assigned (e.g. by a tenants file) can still be taken away
      const box = checkbox(scope.name, { checked: holds, disabled: Boolean(reason) && !holds,
        hint: scope.description || 'No description.' });
      box.wrapper.classList.add('scope-item');
      box.input.dataset.scope = scope.name;
      boxes.set(scope.name, box.input);
      set.append(box.wrapper);
    }
    form.append(set);
  }
  // Scopes the client names that the list does not have (none, normally) are kept as they are.
  const unknown = client.scopes.filter((name) => !boxes.has(name));
  form.append(h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(form);
    saved.hidden = true;
    const chosen = [...boxes].filter(([, input]) => input.checked).map(([name]) => name).concat(unknown);
    try {
      const answer = await api.patch(tenantPath(tenant, 'clients', client.client_id), { scopes: chosen }, etag);
      etag = answer.etag;
      client.scopes = answer.data.scopes;
      saved.textContent = 'Saved. The application may now ask for the scopes ticked above.';
      saved.hidden = false;
      saved.focus?.();
    } catch (error) {
      showProblem(form, explain(error));
    }
  });
  panel.append(form);
}
