// API clients of a tenant: create (the key shown once, with examples), list, edit grants, revoke.
import {h, clear, toast, modal, confirmAction} from './dom.js';
import {api, paths} from './api.js';
import {can} from './session.js';
import {field, formError, onSubmit, value} from './forms.js';
import {grantsEditor, rightsChips} from './grants.js';
import {exact} from './format.js';

export async function clientsView({main, params, onEvent}) {
    const tenants = await api('GET', '/admin/api/tenants');
    let tenant = params[0] || tenants[0]?.id;
    main.append(h('h2', null, 'API clients'));
    if (!tenant) {
        main.append(h('p', null, 'Create a tenant first: ', h('a', {href: '#/tenants'}, 'Tenants & apps')));
        return;
    }
    const chooser = h('select', {id: 'client-tenant', name: 'tenant'},
        tenants.map(t => h('option', {value: t.id, selected: t.id === tenant}, t.id)));
    chooser.addEventListener('change', () => { location.hash = `#/clients/${encodeURIComponent(chooser.value)}`; });
    main.append(h('label', {for: 'client-tenant'}, 'Tenant', chooser));
    const apps = await api('GET', `${paths.tenant(tenant)}/apps`);
    const list = h('tbody');

    if (can('OPERATOR')) {
        const editor = grantsEditor(apps);
        const form = h('form', {'aria-label': 'New API client'},
            field('Client name', 'name', {required: true, placeholder: 'order-service'}),
            editor.element, formError(), h('button', {type: 'submit'}, 'Create client'));
        onSubmit(form, async () => {
            const created = await api('POST', `${paths.tenant(tenant)}/clients`, {name: value(form, 'name'), grants: editor.read()});
            form.querySelector('[name="name"]').value = '';
            await load();
            await showKey(tenant, created, editor.read());
        });
        main.append(h('details', null, h('summary', null, 'New API client'), form));
    }
    main.append(h('div', {class: 'table-wrap'}, h('table', {class: 'striped', id: 'clients'},
        h('thead', null, h('tr', null, h('th', null, 'Client'), h('th', null, 'Grants and rights'),
            h('th', {class: 'hide-narrow'}, 'Created'), h('th', null, 'Status'), can('OPERATOR') ? h('th', null, 'Actions') : null)),
        list)));

    async function load() {
        const clients = await api('GET', `${paths.tenant(tenant)}/clients`);
        clear(list).append(...clients.map(client => h('tr', {'data-client': client.client_id},
            h('td', null, h('strong', null, client.name), h('div', {class: 'muted'}, h('code', null, client.client_id))),
            h('td', null, client.grants.map(grant => h('div', null, rightsChips(grant)))),
            h('td', {class: 'hide-narrow'}, exact(client.created_at)),
            h('td', null, client.revoked ? h('span', {class: 'badge revoked'}, `revoked ${exact(client.revoked_at)}`) : 'active'),
            can('OPERATOR') && !client.revoked ? h('td', {class: 'actions'},
                h('button', {type: 'button', class: 'small outline', 'aria-label': `Edit grants of ${client.name}`,
                    onclick: () => editGrants(tenant, apps, client, load)}, 'Edit grants'),
                h('button', {type: 'button', class: 'small outline secondary', 'aria-label': `Revoke ${client.name}`,
                    onclick: async () => {
                        const ok = await confirmAction({title: `Revoke ${client.name}?`,
                            message: 'Its key stops working at once, on every instance. This cannot be undone.',
                            confirmLabel: 'Revoke', typed: client.name});
                        if (!ok) return;
                        try {
                            await api('DELETE', `${paths.tenant(tenant)}/clients/${encodeURIComponent(client.client_id)}`);
                            toast(`${client.name} revoked`);
                            await load();
                        } catch (error) {
                            toast(error.message, 'error');
                        }
                    }}, 'Revoke')) : can('OPERATOR') ? h('td') : null)));
        if (!clients.length) list.append(h('tr', null, h('td', {colspan: 5, class: 'muted'}, 'No clients yet.')));
    }
    onEvent((type, data) => {
        if (type === 'client' && data.tenant === tenant) load().catch(() => {});
    });
    await load();
}

function examples(tenant, key, grants) {
    const origin = location.origin;
    const concrete = grants.find(g => g.app !== '*' && g.env !== '*') || {app: '<app>', env: '<env>'};
    return [
        ['curl (token API)', `curl -H "Authorization: Bearer ${key}" ${origin}/v1/tokens/${tenant}/${concrete.app}/${concrete.env}`],
        ['WxJava (mini program, stable token)', `config.setAppid("<AppID>");\nconfig.setSecret("${key}"); // the client key, not the AppSecret\nconfig.useStableAccessToken(true);\nconfig.setAccessTokenUrl("${origin}/cgi-bin/stable_token");`],
        ['WeChat-compatible endpoints', `POST ${origin}/cgi-bin/stable_token  {"grant_type":"client_credential","appid":"<AppID>","secret":"${key}"}\nGET  ${origin}/cgi-bin/token?grant_type=client_credential&appid=<AppID>&secret=${key}\nGET  ${origin}/cgi-bin/gettoken?corpid=<corp id>&corpsecret=${key}`],
    ];
}

async function copy(text, button) {
    try {
        await navigator.clipboard.writeText(text);
        button.textContent = 'Copied';
    } catch {
        button.textContent = 'Select and copy by hand';
    }
}

function showKey(tenant, created, grants) {
    return modal('Client created: copy its key now', close => {
        const copyButton = h('button', {type: 'button', class: 'small', onclick: event => copy(created.key, event.currentTarget)}, 'Copy key');
        return h('div', null,
            h('p', null, h('strong', null, 'This key is shown only once.'), ' Store it where the service reads its secrets.'),
            h('p', null, h('code', {class: 'key', 'data-key': ''}, created.key), ' ', copyButton),
            examples(tenant, created.key, grants).map(([label, text]) => h('details', null, h('summary', null, label),
                h('pre', {class: 'example'}, text),
                h('button', {type: 'button', class: 'small outline', onclick: event => copy(text, event.currentTarget)}, 'Copy'))),
            h('footer', null, h('button', {type: 'button', onclick: () => close(true)}, 'Done, I stored the key')));
    });
}

function editGrants(tenant, apps, client, reload) {
    return modal(`Grants of ${client.name}`, close => {
        const editor = grantsEditor(apps, client.grants);
        const form = h('form', {'aria-label': 'Edit grants'}, editor.element, formError(),
            h('footer', null, h('button', {type: 'button', class: 'secondary', onclick: () => close(false)}, 'Cancel'), ' ',
                h('button', {type: 'submit'}, 'Save grants')));
        onSubmit(form, async () => {
            await api('PUT', `${paths.tenant(tenant)}/clients/${encodeURIComponent(client.client_id)}/grants`, {grants: editor.read()});
            toast(`Grants of ${client.name} saved`);
            close(true);
            await reload();
        });
        return form;
    });
}
