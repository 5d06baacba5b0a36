// General: Name, Description, Platform, Redirect URL (chips), Token Exchange Grant Type, Access Token Expiry Time.

import { api, explain, tenantPath } from './api.js';
import { checkbox, clearProblems, copyField, field, formAlert, h, showProblem } from './dom.js';
import { PLATFORMS, isConfidential } from './platforms.js';

const DEFAULT_TTL_MINUTES = 60;

export function renderGeneral(panel, { tenant, client, etag, go, setFlash }) {
  const creating = !client;
  const uris = client ? [...client.redirect_uris] : [];

  const name = h('input', { type: 'text', maxlength: '200', required: true, autocomplete: 'off', value: client ? client.name : '' });
  const description = h('textarea', { maxlength: '1000', rows: '3' });
  description.value = client && client.description ? client.description : '';
  const platform = h('select', { disabled: !creating },
    PLATFORMS.map((choice) => h('option', { value: choice.value }, choice.label)));
  platform.value = client ? client.platform : 'web';

  const redirectInput = h('input', { type: 'text', inputmode: 'url', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'https://app.example.com/callback' });
  const chips = h('ul', { class: 'chips', 'aria-label': 'Redirect URLs', id: 'redirect-urls' });
  const redirectField = field('Redirect URL', redirectInput, { name: 'redirect_uris',
    hint: 'Type a URL and press Enter to add it. Add as many as the application uses; each can be removed.' });
  redirectField.append(chips);

  const tokenExchange = checkbox('Token Exchange Grant Type', { checked: client ? client.token_exchange : false, name: 'token_exchange' });
  const teHint = h('p', { class: 'hint', id: 'token-exchange-hint' });
  tokenExchange.wrapper.lastChild.append(teHint);
  const ttl = h('input', { type: 'number', min: '1', max: '1440', step: '1', inputmode: 'numeric',
    value: String(client && client.access_token_ttl ? Math.round(client.access_token_ttl / 60) : DEFAULT_TTL_MINUTES) });
  const ttlField = field('Access Token Expiry Time', ttl, { name: 'access_token_ttl',
    hint: 'In minutes, from 1 to 1440. One hour (60) unless you change it.' });

  const enabled = checkbox('Enabled', { checked: client ? client.enabled : true, name: 'enabled',
    hint: 'A disabled application gets no tokens; its settings are kept.' });

  const alert = formAlert();
  const saved = h('p', { class: 'notice', role: 'status', hidden: true });
  const form = h('form', { novalidate: true, class: 'card narrow', id: 'general-form' },
    alert, saved,
    field('Name', name, { name: 'name' }),
    field('Description', description, { name: 'description' }),
    field('Platform', platform, { name: 'platform', hint: creating ? 'Web applications keep a secret on a server. Single Page '
      + 'Application and Public Client/Native applications cannot keep one; they sign users in with PKCE.'
      : 'An application keeps its platform; register a new one for another platform.' }),
    redirectField,
    tokenExchange.wrapper,
    ttlField,
    client ? copyField('Client ID', client.client_id, { name: 'client_id' }) : null,
    client ? enabled.wrapper : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save')));

  function renderChips() {
    chips.replaceChildren(...uris.map((uri, index) => h('li', { class: 'chip' }, h('span', {}, uri),
      h('button', { type: 'button', 'aria-label': `Remove ${uri}`, title: 'Remove',
        onclick: () => { uris.splice(index, 1); renderChips(); redirectInput.focus(); } }, '×'))));
  }

  function addPendingUri() {
    const uri = redirectInput.value.trim();
    if (!uri) return true;
    if (uris.includes(uri)) {
      showProblem(form, { field: 'redirect_uris', detail: `${uri} is already in the list.` });
      return false;
    }
    uris.push(uri);
    redirectInput.value = '';
    clearProblems(form);
    renderChips();
    return true;
  }

  function syncTokenExchange() {
    const web = isConfidential(platform.value);
    tokenExchange.input.disabled = !web;
    if (!web) tokenExchange.input.checked = false;
    teHint.textContent = web
      ? 'Lets the application exchange a token from a trusted identity provider for one of this tenant.'
      : 'Only Web applications can use Token Exchange: the exchange needs a client secret.';
    ttlField.hidden = !tokenExchange.input.checked;
  }

  redirectInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault(); // Enter adds the URL; it does not submit the form
      addPendingUri();
    }
  });
  platform.addEventListener('change', syncTokenExchange);
  tokenExchange.input.addEventListener('change', syncTokenExchange);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearProblems(form);
    saved.hidden = true;
    if (!addPendingUri()) return;
    if (!name.value.trim()) {
      showProblem(form, { field: 'name', detail: 'Give the application a name.' });
      return;
    }
    const body = { name: name.value.trim(), description: description.value.trim() || null, redirect_uris: [...uris],
      token_exchange: tokenExchange.input.checked };
    if (tokenExchange.input.checked) {
      const minutes = Number(ttl.value);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
        showProblem(form, { field: 'access_token_ttl', detail: 'Enter a whole number of minutes from 1 to 1440.' });
        return;
      }
      body.access_token_ttl = minutes * 60;
    }
    try {
      if (creating) {
        body.platform = platform.value;
        const { data } = await api.post(tenantPath(tenant, 'clients'), body);
        setFlash('Saved. The Client ID below identifies your application; Secrets, Permissions and Metadata are now available.');
        go(`/t/${encodeURIComponent(tenant)}/clients/${encodeURIComponent(data.client_id)}/general`);
        return;
      }
      body.enabled = enabled.input.checked;
      const answer = await api.patch(tenantPath(tenant, 'clients', client.client_id), body, etag);
      etag = answer.etag;
      Object.assign(client, answer.data);
      document.getElementById('client-title').textContent = client.name;
      saved.textContent = 'Saved.';
      saved.hidden = false;
    } catch (error) {
      showProblem(form, explain(error));
    }
  });

  renderChips();
  syncTokenExchange();
  panel.append(form);
}
