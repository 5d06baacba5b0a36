// Identity providers for Token Exchange: the tenant's trusted issuers; add one, delete one.

import { all, api, isMissingResource, tenantPath } from './api.js';
import { clear, field, formAlert, h, showProblem, table } from './dom.js';

export async function render({ tenant, container }) {
  const path = tenantPath(tenant, 'identity-providers');
  const listArea = h('div', { id: 'provider-list' });
  const status = h('p', { class: 'notice', role: 'status', hidden: true });

  const name = h('input', { type: 'text', maxlength: '200', autocomplete: 'off' });
  const issuer = h('input', { type: 'url', maxlength: '2000', autocomplete: 'off', spellcheck: 'false', placeholder: 'https://login.example.com' });
  const realm = h('select', {}, h('option', { value: 'U' }, 'Users (-U)'), h('option', { value: 'C' }, 'Customers (-C)'));
  const audiences = h('input', { type: 'text', maxlength: '2000', autocomplete: 'off', spellcheck: 'false' });
  const userClaim = h('input', { type: 'text', maxlength: '100', autocomplete: 'off', value: 'email' });
  const alert = formAlert();
  const form = h('form', { class: 'card narrow', novalidate: true, id: 'provider-form' }, alert, h('h2', {}, 'Add an identity provider'),
    field('Name', name, { name: 'name' }),
    field('Issuer', issuer, { name: 'issuer', hint: 'Its keys are found through the issuer\'s published metadata.' }),
    field('Realm', realm, { name: 'realm', hint: 'Whose tokens the exchange issues: this tenant\'s users or its customers.' }),
    field('Audiences', audiences, { name: 'audiences', hint: 'The aud values its tokens must carry, separated by spaces.' }),
    field('User claim', userClaim, { name: 'user_claim', hint: 'The claim that names the user here, e.g. email.' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add identity provider')));

  async function refresh() {
    const providers = await all(path);
    clear(listArea);
    if (providers.length === 0) {
      listArea.append(h('p', { class: 'card' }, 'No identity providers: this tenant accepts no Token Exchange yet.'));
      return;
    }
    listArea.append(table('Identity providers', ['Name', 'Registration ID', 'Issuer', 'Realm', ''], providers.map((provider) => {
      const cell = h('div', { class: 'row-actions' });
      const remove = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Delete identity provider ${provider.name}` }, 'Delete');
      remove.addEventListener('click', async () => {
        try {
          await api.delete(`${path}/${encodeURIComponent(provider.registration_id)}`);
          status.textContent = `Deleted identity provider ${provider.name}.`;
          status.hidden = false;
          await refresh();
        } catch (error) {
          cell.replaceChildren(h('span', { class: 'field-error', role: 'alert' }, error.detail || String(error)));
        }
      });
      cell.append(remove);
      return [provider.name, { td: 'id', content: provider.registration_id }, { td: 'id', content: provider.issuer },
        provider.realm, cell];
    })));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { name: name.value.trim(), issuer: issuer.value.trim(), realm: realm.value,
      audiences: audiences.value.split(/\s+/).filter(Boolean), user_claim: userClaim.value.trim() };
    try {
      const { data } = await api.post(path, body);
      status.textContent = `Added identity provider ${data.name} (registration ${data.registration_id}).`;
      status.hidden = false;
      form.reset();
      await refresh();
    } catch (error) {
      showProblem(form, error);
    }
  });

  clear(container);
  container.append(h('h1', {}, 'Identity providers'), h('p', { class: 'explain' }, 'Applications with the Token Exchange '
    + 'Grant Type trade a token from one of these providers for a token of this tenant.'), status, listArea, form);
  try {
    await refresh();
  } catch (error) {
    if (!isMissingResource(error)) throw error;
    listArea.replaceChildren(h('p', { class: 'alert' }, 'This server\'s admin API does not manage identity providers yet.'));
    form.hidden = true;
  }
}
