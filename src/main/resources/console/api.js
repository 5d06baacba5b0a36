// The admin API, called with the signed-in administrator's bearer token. Failures arrive as RFC 9457 problems,
// which become ApiErrors carrying the problem's detail and, where one field is at fault, its name.

import { apiBase } from './config.js';
import { session } from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    const detail = (problem && problem.detail) || `The server answered HTTP ${status}.`;
    super(detail);
    this.status = status;
    this.detail = detail;
    this.field = problem && problem.field ? problem.field : null;
    this.problem = problem || {};
  }
}

const listeners = new Set();

/** Called with the ApiError whenever the API refuses the token itself (401): the console asks to sign in again. */
export function onUnauthorized(listener) {
  listeners.add(listener);
}

export function tenantPath(tenant, ...segments) {
  return ['/tenants', tenant, ...segments].map((part, index) => (index === 0 ? part : encodeURIComponent(part))).join('/');
}

async function call(method, path, { body, etag, query } = {}) {
  const current = session();
  const headers = { Accept: 'application/json, application/problem+json' };
  if (current) headers.Authorization = `Bearer ${current.accessToken}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (etag) headers['If-Match'] = etag;
  const search = query ? new URLSearchParams(Object.entries(query).filter(([, value]) => value !== undefined && value !== null
    && value !== '')).toString() : '';
  let response;
  try {
    response = await fetch(`${apiBase}${path}${search ? `?${search}` : ''}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit', cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { detail: 'The server did not answer. Check your connection and try again.' });
  }
  const text = response.status === 204 ? '' : await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    if (response.status === 401) listeners.forEach((listener) => listener(error));
    throw error;
  }
  return { status: response.status, data, etag: response.headers.get('ETag') };
}

export const api = {
  get: (path, query) => call('GET', path, { query }),
  post: (path, body) => call('POST', path, { body: body === undefined ? {} : body }),
  put: (path, body, etag) => call('PUT', path, { body, etag }),
  patch: (path, body, etag) => call('PATCH', path, { body, etag }),
  delete: (path, etag) => call('DELETE', path, { etag }),
};

/** Every item of a list, following next_cursor (the console's lists are a tenant's, so this stays small). */
export async function all(path, query = {}, most = 2000) {
  const items = [];
  let cursor = null;
  do {
    const { data } = await api.get(path, { ...query, limit: 200, cursor });
    items.push(...(data.items || []));
    cursor = data.next_cursor || null;
  } while (cursor && items.length < most);
  return items;
}

/** Whether the error says this server's API has no such resource yet (another part of the API not installed). */
export function isMissingResource(error) {
  return error instanceof ApiError && error.status === 404 && /has no resource at/.test(error.detail);
}

/** 412 and 428 in words an administrator can act on. */
export function explain(error) {
  if (error instanceof ApiError && error.status === 412) {
    return Object.assign(error, { detail: 'Someone else changed this while you were editing it. Reload the page to see '
      + 'their change, then make yours again.', field: null });
  }
  return error;
}

/** Reads the resource for its ETag, then patches it: for one-click changes (disable, enable) made from a list. */
export async function patchCurrent(path, body) {
  const { etag } = await api.get(path);
  return api.patch(path, body, etag);
}
