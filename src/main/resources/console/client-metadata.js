// Metadata: the URLs an integrator needs, each with a copy button, and a ready-to-paste curl for every flow the
// application may use, filled with its client ID and the tenant's realm URLs.

import { all, api, tenantPath } from './api.js';
import { copyButton, copyField, h, uid } from './dom.js';
import { isConfidential } from './platforms.js';

const SECRET_PLACEHOLDER = 'YOUR_CLIENT_SECRET';

function quote(value) {
  return `'${String(value).replace(/'/g, "'\\''")}'`;
}

function curl(url, parameters) {
  return [`curl --location --request POST ${quote(url)} \\`,
    '--header \'Content-Type: application/x-www-form-urlencoded\' \\',
    ...parameters.map(([name, value], index) => `--data-urlencode ${quote(`${name}=${value}`)}${index < parameters.length - 1 ? ' \\' : ''}`),
  ].join('\n');
}

/** The flows this application may use, with what it needs filled in. */
function flows(client, metadata, kinds, username) {
  const ofKind = (kind) => client.scopes.filter((name) => kinds.get(name) === kind);
  const known = kinds.size > 0;
  const web = isConfidential(client.platform);
  const tokenUrl = metadata.access_token_url;
  const secret = web ? [['client_secret', SECRET_PLACEHOLDER]] : [];
  const list = [];
  const obo = ofKind('on-behalf-of');
  if (web && (obo.length || !known)) {
    list.push({ id: 'on-behalf-of', title: 'On-Behalf-Of', text: 'A token for a user, without their sign-in.',
      command: curl(tokenUrl, [['grant_type', 'password'], ['client_id', client.client_id], ...secret,
        ['scope', obo.join(' ') || 'SCOPE'], ['subject_username', username || 'USERNAME']]) });
  }
  const application = ofKind('application');
  if (web && (application.length || !known)) {
    list.push({ id: 'client-credentials', title: 'Client Credentials', text: 'A token for the application itself.',
      command: curl(tokenUrl, [['grant_type', 'client_credentials'], ['client_id', client.client_id], ...secret,
        ['scope', application.join(' ') || 'SCOPE']]) });
  }
  const delegated = ofKind('delegated');
  if (metadata.authorization_url) {
    const redirect = client.redirect_uris[0] || 'YOUR_REDIRECT_URL';
    const authorize = `${metadata.authorization_url}?${new URLSearchParams({ client_id: client.client_id, response_type: 'code',
      redirect_uri: redirect, scope: delegated.join(' ') || 'SCOPE', state: 'STATE', code_challenge: 'CODE_CHALLENGE',
      code_challenge_method: 'S256' })}`;
    list.push({ id: 'authorization-code', title: 'Authorization Code with PKCE', text: 'First send the user\'s browser to '
      + 'this address (CODE_CHALLENGE is the S256 hash of a random CODE_VERIFIER you keep):',
      pre: authorize, after: 'Then exchange the code that comes back to your Redirect URL:',
      command: curl(tokenUrl, [['grant_type', 'authorization_code'], ['code', 'CODE'], ['redirect_uri', redirect],
        ['client_id', client.client_id], ...secret, ['code_verifier', 'CODE_VERIFIER']]) });
  }
  if (web && client.token_exchange) {
    list.push({ id: 'token-exchange', title: 'Token Exchange', text: 'Exchange a token from a trusted identity provider '
      + '(see Identity providers) for one of this tenant.',
      command: curl(tokenUrl, [['grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange'], ['client_id', client.client_id],
        ...secret, ['subject_token', 'THE_OTHER_PROVIDERS_TOKEN'], ['subject_token_type', 'urn:ietf:params:oauth:token-type:jwt'],
        ['scope', delegated.join(' ') || 'SCOPE']]) });
  }
  return list;
}

async function scopeKinds(tenant) {
  try {
    return new Map((await all(tenantPath(tenant, 'scopes'))).map((scope) => [scope.name, scope.kind]));
  } catch {
    return new Map(); // without the scopes resource, every flow of the platform is shown
  }
}

export async function openMetadata(tenant, client, opener, session) {
  const [{ data: metadata }, kinds] = await Promise.all([
    api.get(tenantPath(tenant, 'clients', client.client_id, 'metadata')), scopeKinds(tenant)]);
  // the signed-in administrator's username fills subject_username, so the On-Behalf-Of request works as it is
  const username = session && session.tenant === tenant ? session.username : '';
  const titleId = uid('metadata-title');
  const close = h('button', { type: 'button', class: 'secondary', id: 'close-metadata' }, 'Close');
  const body = h('div', { class: 'dialog-body' },
    h('div', { class: 'dialog-head' }, h('h2', { id: titleId }, `Metadata: ${client.name}`), close),
    metadata.authorization_url ? copyField('Authorization URL', metadata.authorization_url, { name: 'authorization_url' }) : null,
    copyField('Access Token URL', metadata.access_token_url, { name: 'access_token_url' }),
    copyField('Domain URL', metadata.domain_url, { name: 'domain_url' }),
    copyField('Metadata URL', metadata.metadata_url, { name: 'metadata_url' }),
    copyField('Client ID', client.client_id, { name: 'client_id' }));
  const available = flows(client, metadata, kinds, username);
  body.append(h('h2', {}, 'Requests'));
  if (available.length === 0) {
    body.append(h('p', { class: 'muted' }, 'Assign permissions (scopes) to see the requests this application can make.'));
  } else if (isConfidential(client.platform)) {
    body.append(h('p', { class: 'explain' }, `Replace ${SECRET_PLACEHOLDER} with a secret from the Secrets tab.`));
  }
  for (const flow of available) {
    const code = h('pre', { id: `curl-${flow.id}`, tabindex: '0' }, h('code', {}, flow.command));
    const section = h('section', { 'data-flow': flow.id }, h('h3', {}, flow.title), h('p', {}, flow.text));
    if (flow.pre) {
      section.append(h('pre', { tabindex: '0' }, h('code', {}, flow.pre)),
        h('div', { class: 'actions' }, copyButton(flow.pre, 'Copy', `Copy the ${flow.title} authorization URL`)),
        h('p', {}, flow.after));
    }
    section.append(code, h('div', { class: 'actions' }, copyButton(flow.command, 'Copy', `Copy the ${flow.title} request`)));
    body.append(section);
  }
  const dialog = h('dialog', { 'aria-labelledby': titleId, id: 'metadata-dialog' }, body);
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
