// Every call the dashboard makes goes through the management API with the token the user signed in with. The token
// lives in sessionStorage only: it is gone when the tab closes and never reaches a cookie or the server's disk.
const TokenKey = 'gateway-fast.management-token';

export const session = {
  get token() { return sessionStorage.getItem(TokenKey); },
  signIn(token) { sessionStorage.setItem(TokenKey, token); },
  signOut() { sessionStorage.removeItem(TokenKey); },
};

export class ApiError extends Error {
  constructor(status, errors) {
    super(errors.map(e => e.message + (e.path ? ` (${e.path})` : '')).join('; ') || `HTTP ${status}`);
    this.status = status;
  }
}

/** Sends one management call and returns the v4 envelope ({result, result_info}); throws ApiError on failure. */
export async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${session.token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json().catch(() => null);
  if (response.status === 401) window.dispatchEvent(new Event('gateway-fast:unauthorized'));
  if (!response.ok || json?.success === false) throw new ApiError(response.status, json?.errors ?? []);
  return json;
}

export const get = path => api('GET', path);

/** A stored log body as text, or null when the gateway did not keep it (404). */
export async function logBody(gateway, id, kind) {
  const response = await fetch(`/api/management/gateways/${enc(gateway)}/logs/${enc(id)}/${kind}`,
    { headers: { Authorization: `Bearer ${session.token}` } });
  if (response.status === 404) return null;
  if (!response.ok) throw new ApiError(response.status, []);
  return { text: await response.text(), contentType: response.headers.get('content-type') ?? '' };
}

export const enc = encodeURIComponent;

/** Every gateway, across pages (a handful in practice; 100 per page). */
export async function listGateways() {
  const all = [];
  for (let page = 1; ; page++) {
    const { result, result_info: info } = await get(`/api/management/gateways?per_page=100&page=${page}`);
    all.push(...result);
    if (result.length === 0 || all.length >= (info?.total_count ?? all.length)) return all;
  }
}
