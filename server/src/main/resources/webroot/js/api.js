// The REST API of docs/protocol.md. Every call carries the session's bearer token; errors
// become ApiError with the contract's stable code. Bodies and tokens are never logged.

export class ApiError extends Error {
  constructor(status, error) {
    super((error && error.message) || `request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = (error && error.code) || 'unavailable';
    this.details = error || {};
  }
}

/**
 * getToken() returns the current token; onUnauthorized() runs when an authenticated call is
 * refused with 401 (the session ended, e.g. a key reset on another device).
 */
export function createApi(getToken, onUnauthorized) {
  async function call(method, path, body, { auth = true } = {}) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const token = auth ? getToken() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: 'omit' });
    } catch (e) {
      throw new ApiError(0, { code: 'unavailable', message: 'The server cannot be reached. Check your connection.' });
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const err = new ApiError(res.status, json && json.error);
      if (res.status === 401 && auth && token === getToken()) onUnauthorized(err);
      throw err;
    }
    return json;
  }
  const q = (params) => {
    const s = new URLSearchParams();
    Object.entries(params).forEach(([k, v]) => { if (v !== undefined && v !== null) s.set(k, String(v)); });
    const t = s.toString();
    return t ? `?${t}` : '';
  };
  const room = (rid) => `/api/v1/rooms/${encodeURIComponent(rid)}`;

  return {
    token: getToken,
    // generic calls, for modules that name their routes themselves (the verified list)
    get: (path) => call('GET', path),
    put: (path, body) => call('PUT', path, body),
    // the key-transparency routes need no token: they answer anyone, auditors included
    publicGet: (path) => call('GET', path, undefined, { auth: false }),
    register: (username, password) => call('POST', '/api/v1/auth/register', { username, password }, { auth: false }),
    login: (username, password) => call('POST', '/api/v1/auth/login', { username, password }, { auth: false }),
    me: () => call('GET', '/api/v1/me'),
    findUser: (username) => call('GET', `/api/v1/users${q({ username })}`).then((r) => r.users[0] || null),
    rooms: () => call('GET', '/api/v1/rooms').then((r) => r.rooms),
    room: (rid) => call('GET', room(rid)),
    createRoom: (body) => call('POST', '/api/v1/rooms', body),
    updateRoom: (rid, body) => call('PATCH', room(rid), body),
    addMember: (rid, username) => call('POST', `${room(rid)}/members`, { username }),
    removeMember: (rid, uid) => call('DELETE', `${room(rid)}/members/${encodeURIComponent(uid)}`),
    history: (rid, params) => call('GET', `${room(rid)}/messages${q(params)}`),
    search: (text) => call('GET', `/api/v1/search${q({ q: text })}`).then((r) => r.messages),
    ownKeys: () => call('GET', '/api/v1/e2e/keys'),
    putKeys: (body) => call('PUT', '/api/v1/e2e/keys', body),
    resetKeys: (password) => call('DELETE', '/api/v1/e2e/keys', { password }),
    userKeys: (uid) => call('GET', `/api/v1/users/${encodeURIComponent(uid)}/keys`),
    userKeyHistory: (uid) => call('GET', `/api/v1/users/${encodeURIComponent(uid)}/keys/history`).then((r) => r.keys),
    establishRoomKey: (rid, kid, key) => call('POST', `${room(rid)}/e2e/key-id`, { kid, key }),
    roomKey: (rid) => call('GET', `${room(rid)}/e2e/key`),
    waiting: (rid) => call('GET', `${room(rid)}/e2e/waiting`).then((r) => r.users),
    handOver: (rid, keys) => call('POST', `${room(rid)}/e2e/keys`, { keys }),
    rotate: (rid, previousKid, kid, key) => call('POST', `${room(rid)}/e2e/rotate`, { previousKid, kid, key }),
  };
}
