// The audit log: every change made through the API, the CLI or a tenants file, newest first, filtered by actor,
// action and time.

import { api, isMissingResource, tenantPath } from './api.js';
import { clear, field, formAlert, h, showProblem, table, when } from './dom.js';

function instant(localValue) {
  // datetime-local has no zone: it is the administrator's local time
  return localValue ? new Date(localValue).toISOString() : undefined;
}

/** "user 1001 (via portcullis-console)", "client automation"; the actor's tenant when it is another (a system administrator). */
function actorText(actor, tenant) {
  if (!actor) return '—';
  const who = actor.subject === actor.client_id ? `client ${actor.client_id}` : `${actor.actor_type || 'user'} ${actor.subject} `
    + `(via ${actor.client_id})`;
  return actor.tenant && actor.tenant !== tenant ? `${who}, tenant ${actor.tenant}` : who;
}

export async function render({ tenant, container }) {
  const path = tenantPath(tenant, 'audit-events');
  const actor = h('input', { type: 'text', autocomplete: 'off', maxlength: '200' });
  const action = h('input', { type: 'text', autocomplete: 'off', maxlength: '100', placeholder: 'client.' });
  const since = h('input', { type: 'datetime-local' });
  const until = h('input', { type: 'datetime-local' });
  const alert = formAlert();
  const form = h('form', { novalidate: true, role: 'search', id: 'audit-filter' }, alert,
    h('div', { class: 'filters' },
      field('Actor', actor, { name: 'actor', hint: 'A user or client id.' }),
      field('Action', action, { name: 'action', hint: 'Exact, or a prefix ending in a dot.' }),
      field('From', since, { name: 'since' }),
      field('Until', until, { name: 'until' }),
      h('button', { type: 'submit', class: 'secondary' }, 'Filter')));
  const listArea = h('div', { id: 'audit-list' });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show older events');
  let cursor = null;
  const events = [];

  async function load(reset) {
    if (reset) { events.length = 0; cursor = null; }
    const { data } = await api.get(path, { actor: actor.value.trim(), action: action.value.trim(), since: instant(since.value),
      until: instant(until.value), cursor, limit: 50 });
    events.push(...data.items);
    cursor = data.next_cursor || null;
    more.hidden = !cursor;
    clear(listArea);
    if (events.length === 0) {
      listArea.append(h('p', { class: 'card' }, 'No events match.'));
      return;
    }
    listArea.append(table('Audit events', ['Time', 'Actor', 'Action', 'Resource', 'Changes'], events.map((event) => [
      when(event.occurred_at), actorText(event.actor, tenant), { td: 'id', content: event.action }, { td: 'id', content: event.resource },
      h('details', {}, h('summary', {}, 'Show'), h('pre', {}, JSON.stringify(event.changes, null, 2))),
    ])));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    alert.hidden = true;
    try {
      await load(true);
    } catch (error) {
      showProblem(form, error);
    }
  });
  more.addEventListener('click', () => load(false).catch((error) => showProblem(form, error)));

  clear(container);
  container.append(h('h1', {}, 'Audit log'), form, listArea, h('div', { class: 'actions' }, more));
  try {
    await load(true);
  } catch (error) {
    if (!isMissingResource(error)) throw error;
    listArea.replaceChildren(h('p', { class: 'alert' }, 'This server\'s admin API does not serve the audit log yet.'));
    form.hidden = true;
  }
}
