// Admin users (create, change role, delete) and the master key ring (status, re-wrap). ADMIN only.
import {h, clear, toast, confirmAction} from './dom.js';
import {api} from './api.js';
import {session} from './session.js';
import {field, formError, onSubmit, value} from './forms.js';
import {exact} from './format.js';

const ROLES = ['VIEWER', 'OPERATOR', 'ADMIN'];

export async function adminUsersView({main, onEvent}) {
    const list = h('tbody');
    const keys = h('section', {'aria-label': 'Master keys'});
    const form = h('form', {class: 'inline-form', 'aria-label': 'New admin user'},
        field('Username', 'username', {required: true}),
        field('Password', 'password', {type: 'password', required: true, autocomplete: 'new-password', help: '12 to 128 characters'}),
        field('Role', 'role', {options: ROLES, value: 'VIEWER'}),
        h('button', {type: 'submit'}, 'Create admin user'), formError());
    onSubmit(form, async () => {
        const user = await api('POST', '/admin/api/admin-users', {username: value(form, 'username'),
            password: form.querySelector('[name="password"]').value, role: value(form, 'role')});
        toast(`${user.username} created`);
        form.reset();
        await load();
    });
    main.append(h('h2', null, 'Admin users'), h('details', null, h('summary', null, 'New admin user'), form),
        h('div', {class: 'table-wrap'}, h('table', {class: 'striped', id: 'admin-users'},
            h('thead', null, h('tr', null, h('th', null, 'User'), h('th', null, 'Role'), h('th', {class: 'hide-narrow'}, 'Created'), h('th', null, 'Actions'))),
            list)),
        keys);

    async function load() {
        const users = await api('GET', '/admin/api/admin-users');
        clear(list).append(...users.map(user => {
            const self = user.username === session.user.username;
            const select = h('select', {'aria-label': `Role of ${user.username}`, disabled: self},
                ROLES.map(r => h('option', {value: r, selected: r === user.role}, r)));
            select.addEventListener('change', async () => {
                try {
                    await api('PATCH', `/admin/api/admin-users/${encodeURIComponent(user.username)}`, {role: select.value});
                    toast(`${user.username} is now ${select.value}`);
                } catch (error) {
                    toast(error.message, 'error');
                }
                await load();
            });
            return h('tr', {'data-user': user.username},
                h('td', null, user.username, self ? h('span', {class: 'muted'}, ' (you)') : null, user.enabled ? null : h('span', {class: 'badge disabled'}, 'disabled')),
                h('td', null, select),
                h('td', {class: 'hide-narrow'}, exact(user.created_at)),
                h('td', null, self ? null : h('button', {type: 'button', class: 'small outline secondary', 'aria-label': `Delete ${user.username}`,
                    onclick: async () => {
                        const ok = await confirmAction({title: `Delete ${user.username}?`,
                            message: 'Their sessions end at once, on every instance.', confirmLabel: 'Delete', typed: user.username});
                        if (!ok) return;
                        try {
                            await api('DELETE', `/admin/api/admin-users/${encodeURIComponent(user.username)}`);
                            toast(`${user.username} deleted`);
                            await load();
                        } catch (error) {
                            toast(error.message, 'error');
                        }
                    }}, 'Delete')));
        }));
    }

    async function loadKeys() {
        const status = await api('GET', '/admin/api/keys');
        const remaining = Object.entries(status.remaining || {});
        clear(keys).append(h('h2', null, 'Master keys'),
            h('p', null, 'Active key: ', h('code', null, status.active_key_id), ' · key ring: ',
                status.key_ids.map(id => h('code', null, id)).reduce((acc, el) => (acc.length ? [...acc, ', ', el] : [el]), [])),
            remaining.length
                ? h('p', {class: 'error-text'}, 'Not yet on the active key: ', remaining.map(([kind, byKey]) =>
                    `${kind} ${Object.entries(byKey).map(([id, n]) => `${n} on ${id}`).join(', ')}`).join('; '))
                : h('p', null, 'Everything is sealed with the active key.'),
            h('button', {type: 'button', class: 'outline', onclick: async event => {
                const button = event.currentTarget;
                button.setAttribute('aria-busy', 'true');
                try {
                    const report = await api('POST', '/admin/api/keys/rewrap');
                    toast(`Re-wrapped ${report.credentials_rewrapped} secrets and ${report.tokens_rewrapped} tokens` +
                        (report.failures.length ? `; ${report.failures.length} rows could not be opened` : ''), report.failures.length ? 'error' : 'info');
                    await loadKeys();
                } catch (error) {
                    toast(error.message, 'error');
                } finally {
                    button.removeAttribute('aria-busy');
                }
            }}, 'Re-wrap now'));
    }
    onEvent(type => {
        if (type === 'admin-user') load().catch(() => {});
    });
    await Promise.all([load(), loadKeys()]);
}
