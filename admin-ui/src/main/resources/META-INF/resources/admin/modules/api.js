// The admin API over the session login: JSON in and out, the CSRF token on every write (header X-XSRF-TOKEN only),
// problem details turned into ApiError with the field errors they name.
let reauthenticate = null;

export function onSessionExpired(handler) {
    reauthenticate = handler;
}

export class ApiError extends Error {
    constructor(status, problem) {
        super(problem?.detail || problem?.title || `The request failed (${status}).`);
        this.status = status;
        this.problem = problem || {};
        this.type = (problem?.type || '').split('/').pop();
        this.fieldErrors = Array.isArray(problem?.errors) ? problem.errors : [];
    }
}

export function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : '';
}

async function send(method, path, body, form) {
    const headers = {Accept: 'application/json'};
    if (method !== 'GET') headers['X-XSRF-TOKEN'] = csrfToken();
    let payload;
    if (form) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        payload = new URLSearchParams(form).toString();
    } else if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        payload = JSON.stringify(body);
    }
    return fetch(path, {method, headers, body: payload, credentials: 'same-origin', cache: 'no-store'});
}

async function read(response) {
    if (response.status === 204) return null;
    const text = await response.text();
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch {
        json = {detail: `The service answered ${response.status} without a readable body.`};
    }
    if (!response.ok) throw new ApiError(response.status, json);
    return json;
}

/** Calls the admin API. A 401 (session expired) asks the user to log in again, then repeats the call once. */
export async function api(method, path, body, {retry = true} = {}) {
    let response;
    try {
        response = await send(method, path, body);
    } catch {
        throw new ApiError(0, {detail: 'The service cannot be reached. Check the connection and try again.'});
    }
    if (response.status === 401 && retry && reauthenticate) {
        await reauthenticate();
        return api(method, path, body, {retry: false});
    }
    if (response.status === 403 && retry && method !== 'GET') {
        const problem = await response.clone().json().catch(() => null);
        if (problem && String(problem.type).endsWith('/csrf')) {
            await fetch('/admin/api/me', {credentials: 'same-origin'}); // renews the XSRF-TOKEN cookie
            return api(method, path, body, {retry: false});
        }
    }
    return read(response);
}

export async function login(username, password) {
    if (!csrfToken()) await fetch('/admin/api/me', {credentials: 'same-origin'});
    const response = await send('POST', '/admin/login', undefined, {username, password});
    return read(response);
}

export async function logout() {
    const response = await send('POST', '/admin/logout');
    return read(response);
}

export const paths = {
    env: (t, a, e) => `/admin/api/tenants/${enc(t)}/apps/${enc(a)}/envs/${enc(e)}`,
    app: (t, a) => `/admin/api/tenants/${enc(t)}/apps/${enc(a)}`,
    tenant: t => `/admin/api/tenants/${enc(t)}`,
};

export function enc(value) {
    return encodeURIComponent(value);
}
