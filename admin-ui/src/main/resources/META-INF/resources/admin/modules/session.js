// Who is logged in, what their role allows, and logging in again when the session ends (without losing the page).
import {api, login, onSessionExpired} from './api.js';
import {h, modal} from './dom.js';
import {field, formError, onSubmit, value} from './forms.js';

const ORDER = ['VIEWER', 'OPERATOR', 'ADMIN'];
export const session = {user: null};

export function role() {
    const roles = session.user?.roles || [];
    return ORDER.filter(r => roles.includes(r)).pop() || null;
}

/** Whether the user's role includes `needed`. */
export function can(needed) {
    const current = role();
    return current !== null && ORDER.indexOf(current) >= ORDER.indexOf(needed);
}

export async function loadUser() {
    try {
        session.user = await api('GET', '/admin/api/me', undefined, {retry: false});
    } catch (error) {
        if (error.status !== 401) throw error;
        session.user = null;
    }
    return session.user;
}

export function loginForm(onDone, {message} = {}) {
    const form = h('form', {class: 'login-form', 'aria-label': 'Log in'},
        message ? h('p', {role: 'alert'}, message) : null,
        field('Username', 'username', {required: true, autocomplete: 'username'}),
        field('Password', 'password', {type: 'password', required: true, autocomplete: 'current-password'}),
        formError(),
        h('button', {type: 'submit'}, 'Log in'));
    return onSubmit(form, async () => {
        session.user = await login(value(form, 'username'), form.querySelector('[name="password"]').value);
        onDone(session.user);
    });
}

let pending = null;

/** The session ended: a login dialog over the current page; whatever was typed there stays. */
function relogin() {
    if (!pending) {
        pending = modal('Your session has ended', close => loginForm(() => close(true),
            {message: 'Log in again to continue. What you entered on the page is kept.'}))
            .then(done => {
                pending = null;
                if (!done) {
                    throw new Error('Not logged in.');
                }
            });
    }
    return pending;
}

onSessionExpired(relogin);
