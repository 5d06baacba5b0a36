// Where this console lives: the server's public URL, which the page carries in a meta element (no inline script).

const meta = document.querySelector('meta[name="portcullis-public-url"]');

export const publicUrl = (meta ? meta.content : location.origin).replace(/\/+$/, '');
export const consoleUrl = `${publicUrl}/admin/`;
export const callbackUrl = `${publicUrl}/admin/callback`;
export const apiBase = `${publicUrl}/admin/api/v1`;
export const clientId = 'portcullis-console';
export const systemTenant = 'system';

/** A tenant's user realm (-U), where administrators sign in. */
export function issuer(tenant) {
  return `${publicUrl}/system/auth/${encodeURIComponent(tenant)}-U`;
}

export const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
