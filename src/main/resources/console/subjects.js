// Users (the -U realm) and customers (the -C realm): search, add, disable or enable, set a password, end sessions.

import { ApiError, api, isMissingResource, patchCurrent, tenantPath } from './api.js';
import { checkbox, clear, field, formAlert, h, showProblem, table, uid, yesNo } from './dom.js';

const ADMIN_ROLE = 'partition_admin';

function isAdministrator(subject) {
  return (subject.roles || []).length > 0;
}

const KINDS = {
  users: { title: 'Users', noun: 'user', realm: 'U', label: (s) => s.username || s.email || s.id },
  customers: { title: 'Customers', noun: 'customer', realm: 'C', label: (s) => s.email || s.id },
};

export async function render({ tenant, match, container }) {
  const segment = match[2];
  const kind = KINDS[segment];
  const path = tenantPath(tenant, segment);
  let query = '';
  let cursor = null;
  const rows = [];
  clear(container);

  const search = h('input', { type: 'search', autocomplete: 'off', maxlength: '200' });
  const searchForm = h('form', { class: 'filters', role: 'search' },
    field(`Search ${kind.title.toLowerCase()}`, search, { hint: segment === 'users' ? 'The start of a username or email.'
      : 'The start of an email.' }),
    h('button', { type: 'submit', class: 'secondary' }, 'Search'));
  const addButton = h('button', { type: 'button', id: `add-${kind.noun}` }, 'Add');
  const addArea = h('div');
  const listArea = h('div', { id: `${segment}-list` });
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
  container.append(h('div', { class: 'page-head' }, h('h1', {}, kind.title), addButton), addArea, searchForm, listArea,
    h('div', { class: 'actions' }, more));

  async function load(reset) {
    if (reset) { rows.length = 0; cursor = null; }
    try {
      const { data } = await api.get(path, { q: query, cursor, limit: 50 });
      rows.push(...data.items);
      cursor = data.next_cursor || null;
    } catch (error) {
      if (isMissingResource(error)) {
        listArea.replaceChildren(h('p', { class: 'alert' }, `This server's admin API does not manage ${segment} yet.`));
        addButton.disabled = true;
        return;
      }
      throw error;
    }
    more.hidden = !cursor;
    renderList();
  }

  function renderList() {
    clear(listArea);
    if (rows.length === 0) {
      listArea.append(h('p', { class: 'card' }, query ? `No ${segment} match “${query}”.` : `This tenant has no ${segment} yet.`));
      return;
    }
    const columns = segment === 'users' ? ['Username', 'Email', 'ID', 'Enabled', 'Roles', ''] : ['Email', 'ID', 'Enabled', ''];
    listArea.append(table(kind.title, columns, rows.map((subject) => {
      const cells = segment === 'users' ? [subject.username || '—', subject.email || '—'] : [subject.email || '—'];
      const roles = segment === 'users' ? [(subject.roles || []).join(', ') || '—'] : [];
      return [...cells, { td: 'id', content: subject.id }, yesNo(subject.enabled), ...roles, actions(subject)];
    })));
  }

  function actions(subject) {
    const itemPath = tenantPath(tenant, segment, subject.id);
    const name = kind.label(subject);
    const cell = h('div', { class: 'row-actions' });
    const status = h('p', { class: 'hint', role: 'status' });
    const toggle = h('button', { type: 'button', class: 'secondary small', 'aria-label': `${subject.enabled ? 'Disable' : 'Enable'} ${name}` },
      subject.enabled ? 'Disable' : 'Enable');
    toggle.addEventListener('click', () => act(async () => {
      const { data } = await patchCurrent(itemPath, { enabled: !subject.enabled });
      Object.assign(subject, data);
      renderList();
    }));
    const password = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Set the password of ${name}` }, 'Set password');
    password.addEventListener('click', () => passwordForm(cell, itemPath, name));
    const sessions = h('button', { type: 'button', class: 'secondary small', 'aria-label': `End the sessions of ${name}` }, 'End sessions');
    sessions.addEventListener('click', () => act(async () => {
      await api.delete(`${itemPath}/sessions`);
      status.textContent = `${name} is signed out everywhere; their refresh tokens no longer work.`;
    }));
    async function act(work) {
      status.textContent = '';
      try { await work(); } catch (error) { status.textContent = error instanceof ApiError ? error.detail : String(error); }
    }
    cell.append(toggle, password, sessions);
    // only the Partition Administrator role is given here; a system administrator's stays as bootstrap-admin made it
    if (segment === 'users' && !(subject.roles || []).some((role) => role !== ADMIN_ROLE)) {
      const admin = isAdministrator(subject);
      const role = h('button', { type: 'button', class: 'secondary small', 'aria-label': `${admin ? 'Remove' : 'Make'} ${name} `
        + `${admin ? 'as administrator' : 'an administrator'}` }, admin ? 'Remove administrator' : 'Make administrator');
      role.addEventListener('click', () => act(async () => {
        const { data } = await patchCurrent(itemPath, { roles: admin ? [] : [ADMIN_ROLE] });
        Object.assign(subject, data);
        renderList();
      }));
      cell.append(role);
    }
    cell.append(status);
    return cell;
  }

  function passwordForm(cell, itemPath, name) {
    const input = h('input', { type: 'password', autocomplete: 'new-password', minlength: '8', maxlength: '256' });
    const alert = formAlert();
    const form = h('form', { novalidate: true }, alert,
      field(`New password for ${name}`, input, { name: 'password', hint: 'At least 8 characters.' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'small' }, 'Save password'),
        h('button', { type: 'button', class: 'secondary small', onclick: () => renderList() }, 'Cancel')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        await api.put(`${itemPath}/password`, { password: input.value });
        cell.replaceChildren(h('p', { class: 'notice', role: 'status' }, `The password of ${name} is set.`));
      } catch (error) {
        showProblem(form, error);
      }
    });
    cell.replaceChildren(form);
    input.focus();
  }

  addButton.addEventListener('click', () => {
    addButton.disabled = true;
    const controls = {};
    const fields = [];
    if (segment === 'users') {
      controls.username = h('input', { type: 'text', autocomplete: 'off', maxlength: '200' });
      fields.push(field('Username', controls.username, { name: 'username' }));
    }
    controls.email = h('input', { type: 'email', autocomplete: 'off', maxlength: '320' });
    fields.push(field('Email', controls.email, { name: 'email', hint: segment === 'users' ? 'Optional.' : null }));
    controls.password = h('input', { type: 'password', autocomplete: 'new-password', maxlength: '256' });
    fields.push(field('Password', controls.password, { name: 'password', hint: 'Optional: at least 8 characters. Without one, '
      + `the ${kind.noun} cannot sign in until you set one.` }));
    const administrator = segment === 'users' ? checkbox('Administrator', { name: 'roles',
      hint: `Role ${ADMIN_ROLE}: may sign in to this console and manage this tenant.` }) : null;
    if (administrator) fields.push(administrator.wrapper);
    const alert = formAlert();
    const form = h('form', { class: 'card narrow', novalidate: true, id: `${kind.noun}-form` }, alert,
      h('h2', {}, `Add ${kind.noun}`), fields,
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, `Add ${kind.noun}`),
        h('button', { type: 'button', class: 'secondary', onclick: () => { clear(addArea); addButton.disabled = false; addButton.focus(); } },
          'Cancel')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {};
      for (const [key, control] of Object.entries(controls)) if (control.value.trim()) body[key] = key === 'password' ? control.value : control.value.trim();
      if (administrator && administrator.input.checked) body.roles = [ADMIN_ROLE];
      try {
        const { data } = await api.post(path, body);
        clear(addArea);
        addButton.disabled = false;
        addArea.append(h('p', { class: 'notice', role: 'status', id: uid('added') }, `Added ${kind.noun} ${kind.label(data)}.`));
        await load(true);
      } catch (error) {
        showProblem(form, error);
      }
    });
    addArea.replaceChildren(form);
    fields[0].querySelector('input').focus();
  });

  searchForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    query = search.value.trim();
    await load(true);
  });
  more.addEventListener('click', () => load(false));
  await load(true);
}
