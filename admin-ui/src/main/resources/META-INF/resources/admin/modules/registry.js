// Tenants, their apps (with platform) and environments: create, edit, enable/disable, delete with confirmation.
import {h, clear, toast, modal, confirmAction} from './dom.js';
import {api, paths} from './api.js';
import {can} from './session.js';
import {field, formError, onSubmit, value} from './forms.js';
import {productionBadge} from './status.js';
import {exact} from './format.js';

const PLATFORMS = [
    {value: 'WECHAT_MINIPROGRAM', label: 'WeChat mini program'},
    {value: 'WECHAT_OFFICIAL_ACCOUNT', label: 'WeChat official account'},
    {value: 'WECOM', label: 'WeCom app'},
];

export async function tenantsView({main, onEvent}) {
    const list = h('tbody');
    main.append(h('h2', null, 'Tenants'));
    if (can('OPERATOR')) {
        const form = h('form', {class: 'inline-form', 'aria-label': 'New tenant'},
            field('Tenant id', 'id', {required: true, placeholder: 'shop', help: 'lower-case letters, digits and -'}),
            field('Name', 'name', {required: true, placeholder: 'Shop business line'}),
            h('button', {type: 'submit'}, 'Create tenant'), formError());
        onSubmit(form, async () => {
            const tenant = await api('POST', '/admin/api/tenants', {id: value(form, 'id'), name: value(form, 'name')});
            toast(`Tenant ${tenant.id} created`);
            form.reset();
            await load();
        });
        main.append(h('details', {open: true}, h('summary', null, 'New tenant'), form));
    }
    main.append(h('div', {class: 'table-wrap'}, h('table', {class: 'striped'},
        h('thead', null, h('tr', null, h('th', null, 'Tenant'), h('th', null, 'Name'), h('th', null, 'Created'))), list)));

    async function load() {
        const tenants = await api('GET', '/admin/api/tenants');
        clear(list).append(...tenants.map(t => h('tr', null,
            h('td', null, h('a', {href: `#/tenants/${encodeURIComponent(t.id)}`}, t.id)),
            h('td', null, t.name), h('td', null, exact(t.created_at)))));
        if (!tenants.length) list.append(h('tr', null, h('td', {colspan: 3, class: 'muted'}, 'No tenants yet.')));
    }
    await load();
}

export async function tenantView({main, params, onEvent}) {
    const [tenantId] = params;
    const tenant = await api('GET', paths.tenant(tenantId));
    const appsBox = h('div');
    main.append(h('nav', {'aria-label': 'breadcrumb'}, h('ul', null, h('li', null, h('a', {href: '#/tenants'}, 'Tenants')), h('li', null, tenant.id))),
        h('h2', null, `${tenant.name} (${tenant.id})`),
        can('OPERATOR') ? h('button', {type: 'button', class: 'small outline', 'aria-label': `Rename tenant ${tenant.id}`,
            onclick: async () => {
                if (await rename(`Rename tenant ${tenant.id}`, tenant.name, paths.tenant(tenant.id))) {
                    location.reload();
                }
            }}, 'Rename tenant') : null,
        can('OPERATOR') ? h('button', {type: 'button', class: 'small outline secondary', 'aria-label': `Delete tenant ${tenant.id}`,
            onclick: async () => {
                const ok = await confirmAction({title: `Delete tenant ${tenant.id}?`,
                    message: `A tenant is deleted only without apps and without active API clients; its revoked clients go with it, its audit events stay.`,
                    confirmLabel: 'Delete tenant', typed: tenant.id});
                if (!ok) return;
                try {
                    await api('DELETE', paths.tenant(tenant.id));
                    toast(`Tenant ${tenant.id} deleted`);
                    location.hash = '#/tenants';
                } catch (error) {
                    toast(error.message, 'error');
                }
            }}, 'Delete tenant') : null,
        h('p', null, h('a', {href: `#/clients/${encodeURIComponent(tenant.id)}`}, 'API clients of this tenant')));
    if (can('OPERATOR')) {
        const form = h('form', {class: 'inline-form', 'aria-label': 'New app'},
            field('App id', 'id', {required: true, placeholder: 'shop-miniapp'}),
            field('Name', 'name', {required: true}),
            field('Platform', 'platform', {options: PLATFORMS}),
            h('button', {type: 'submit'}, 'Create app'), formError());
        onSubmit(form, async () => {
            const app = await api('POST', `${paths.tenant(tenantId)}/apps`,
                {id: value(form, 'id'), name: value(form, 'name'), platform: value(form, 'platform')});
            toast(`App ${app.id} created`);
            form.reset();
            await load();
        });
        main.append(h('details', null, h('summary', null, 'New app'), form));
    }
    main.append(appsBox);

    async function load() {
        const apps = await api('GET', `${paths.tenant(tenantId)}/apps`);
        clear(appsBox).append(...apps.map(app => appCard(app, load)));
        if (!apps.length) appsBox.append(h('p', {class: 'muted'}, 'No apps yet.'));
    }
    onEvent(type => {
        if (type === 'credential') load().catch(() => {});
    });
    await load();
}

function appCard(app, reload) {
    const wecom = app.platform === 'WECOM';
    const hasProduction = app.environments.some(env => env.production);
    const sharing = appidGroups(app.environments);
    const rows = app.environments.map(env => h('tr', {class: env.production ? 'prod' : null, 'data-env': env.name},
        h('td', null, h('a', {href: `#/credentials/${encodeURIComponent(app.tenant)}/${encodeURIComponent(app.id)}/${encodeURIComponent(env.name)}`}, env.name),
            ' ', productionBadge(env.production), env.enabled ? null : h('span', {class: 'badge disabled'}, 'disabled')),
        h('td', null, h('code', null, env.appid), wecom && env.agent_id ? h('div', {class: 'muted'}, `agent ${env.agent_id}`) : null,
            sharing.get(env.appid)?.length > 1 ? h('div', {class: 'muted'}, `one credential with ${sharing.get(env.appid).filter(n => n !== env.name).join(', ')}`) : null),
        h('td', {class: 'hide-narrow'}, env.token_mode ? env.token_mode.toLowerCase() : '—'),
        h('td', null, env.secret_hint ? `…${env.secret_hint}` : h('span', {class: 'muted'}, 'set'),
            h('div', {class: 'muted'}, `rotated ${exact(env.rotated_at)}`)),
        can('OPERATOR') ? h('td', {class: 'actions'}, envActions(app, env, reload)) : null));
    const addButton = can('OPERATOR') ? h('button', {type: 'button', class: 'small', onclick: () => editEnvironment(app, null, reload)}, 'Add environment') : null;
    const deleteButton = can('OPERATOR') ? h('button', {type: 'button', class: 'small outline secondary', 'aria-label': `Delete app ${app.id}`,
        onclick: async () => {
            const ok = await confirmAction({title: `Delete app ${app.id}?`,
                message: `This deletes ${app.id}, its ${app.environments.length} environment(s), their credentials and tokens. Production environments must be disabled first.`,
                confirmLabel: 'Delete app', typed: hasProduction ? app.id : null});
            if (!ok) return;
            try {
                await api('DELETE', paths.app(app.tenant, app.id));
                toast(`App ${app.id} deleted`);
                await reload();
            } catch (error) {
                toast(error.message, 'error');
            }
        }}, 'Delete app') : null;
    const renameButton = can('OPERATOR') ? h('button', {type: 'button', class: 'small outline', 'aria-label': `Rename app ${app.id}`,
        onclick: async () => {
            if (await rename(`Rename app ${app.id}`, app.name, paths.app(app.tenant, app.id))) await reload();
        }}, 'Rename app') : null;
    return h('article', {'data-app': app.id},
        h('header', null, h('strong', null, app.name), ' ', h('code', null, app.id), ' ',
            h('span', {class: 'badge'}, PLATFORMS.find(p => p.value === app.platform)?.label || app.platform)),
        h('div', {class: 'table-wrap'}, h('table', null,
            h('thead', null, h('tr', null, h('th', null, 'Environment'), h('th', null, wecom ? 'Corp id' : 'AppID'),
                h('th', {class: 'hide-narrow'}, 'Token mode'), h('th', null, 'Secret'), can('OPERATOR') ? h('th', null, 'Actions') : null)),
            h('tbody', null, rows.length ? rows : h('tr', null, h('td', {colspan: 5, class: 'muted'}, 'No environments yet.'))))),
        h('footer', null, addButton, ' ', renameButton, ' ', deleteButton));
}

function appidGroups(environments) {
    const groups = new Map();
    environments.forEach(env => groups.set(env.appid, [...(groups.get(env.appid) || []), env.name]));
    return groups;
}

function envActions(app, env, reload) {
    const path = paths.env(app.tenant, app.id, env.name);
    const label = `${app.id}/${env.name}`;
    return [
        h('button', {type: 'button', class: 'small outline', 'aria-label': `Edit ${label}`, onclick: () => editEnvironment(app, env, reload)}, 'Edit'),
        h('button', {type: 'button', class: 'small outline', 'aria-label': `Set secret of ${label}`, onclick: () => rotateSecret(app, env, reload)}, 'Set secret'),
        h('button', {type: 'button', class: 'small outline secondary', 'aria-label': `${env.enabled ? 'Disable' : 'Enable'} ${label}`,
            onclick: async () => {
                if (env.enabled) {
                    const ok = await confirmAction({title: `Disable ${label}?`,
                        message: 'Its token is no longer served to any client until it is enabled again.',
                        confirmLabel: 'Disable', typed: env.production ? env.name : null});
                    if (!ok) return;
                }
                try {
                    await api('PUT', path, {enabled: !env.enabled});
                    toast(`${label} ${env.enabled ? 'disabled' : 'enabled'}`);
                    await reload();
                } catch (error) {
                    toast(error.message, 'error');
                }
            }}, env.enabled ? 'Disable' : 'Enable'),
        h('button', {type: 'button', class: 'small outline secondary', 'aria-label': `Delete ${label}`,
            onclick: async () => {
                const ok = await confirmAction({title: `Delete environment ${label}?`,
                    message: env.production && env.enabled
                        ? 'This is an enabled production environment: disable it first, then delete it.'
                        : 'Its credential and token are deleted; clients granted it lose access.',
                    confirmLabel: 'Delete environment', typed: env.production ? env.name : null});
                if (!ok) return;
                try {
                    await api('DELETE', path);
                    toast(`${label} deleted`);
                    await reload();
                } catch (error) {
                    toast(error.message, 'error');
                }
            }}, 'Delete'),
    ];
}

async function editEnvironment(app, env, reload) {
    const wecom = app.platform === 'WECOM';
    await modal(env ? `Edit ${app.id}/${env.name}` : `New environment of ${app.id}`, close => {
        const form = h('form', {'aria-label': env ? 'Edit environment' : 'New environment'},
            env ? null : field('Environment name', 'env', {required: true, placeholder: 'test or prod'}),
            field(wecom ? 'Corp id' : 'AppID', 'appid', {required: !env, value: env?.appid, placeholder: wecom ? 'ww…' : 'wx…'}),
            field(env ? 'New AppSecret (leave empty to keep the current one)' : 'AppSecret', 'secret',
                {type: 'password', required: !env, autocomplete: 'new-password', help: 'Write-only: it is never shown again.'}),
            wecom ? field('Agent id', 'agent_id', {value: env?.agent_id || ''})
                : field('Token mode', 'token_mode', {options: ['STABLE', 'CLASSIC'], value: env?.token_mode || 'STABLE'}),
            field('Production', 'production', {type: 'checkbox', checked: env ? env.production : false,
                help: 'Production environments are marked in red and ask for their name before risky actions.'}),
            field('Enabled', 'enabled', {type: 'checkbox', checked: env ? env.enabled : true}),
            formError(),
            h('footer', null, h('button', {type: 'button', class: 'secondary', onclick: () => close(false)}, 'Cancel'), ' ',
                h('button', {type: 'submit'}, env ? 'Save' : 'Create environment')));
        onSubmit(form, async () => {
            const name = env ? env.name : value(form, 'env');
            const body = {appid: value(form, 'appid'), production: value(form, 'production'), enabled: value(form, 'enabled')};
            const secret = form.querySelector('[name="secret"]').value;
            if (secret) body.secret = secret;
            if (wecom) body.agent_id = value(form, 'agent_id');
            else body.token_mode = value(form, 'token_mode');
            if (env && !body.appid) delete body.appid;
            await api('PUT', paths.env(app.tenant, app.id, name), body);
            toast(`${app.id}/${name} saved`);
            close(true);
            await reload();
        });
        return form;
    });
}

async function rotateSecret(app, env, reload) {
    await modal(`New AppSecret for ${app.id}/${env.name}`, close => {
        const form = h('form', {'aria-label': 'Set secret'},
            env.production ? h('p', null, productionBadge(true), ' This is a production credential.') : null,
            field('New AppSecret', 'secret', {type: 'password', required: true, autocomplete: 'new-password',
                help: 'Environments sharing this AppID get the same secret.'}),
            formError(),
            h('footer', null, h('button', {type: 'button', class: 'secondary', onclick: () => close(false)}, 'Cancel'), ' ',
                h('button', {type: 'submit'}, 'Set secret')));
        onSubmit(form, async () => {
            await api('POST', `${paths.env(app.tenant, app.id, env.name)}/secret`, {secret: form.querySelector('[name="secret"]').value});
            toast(`Secret of ${app.id}/${env.name} set`);
            close(true);
            await reload();
        });
        return form;
    });
}

/** A new display name for a tenant or an app (ids never change); resolves true when renamed. */
function rename(title, current, path) {
    return modal(title, close => {
        const form = h('form', {'aria-label': title},
            field('Name', 'name', {required: true, value: current}), formError(),
            h('footer', null, h('button', {type: 'button', class: 'secondary', onclick: () => close(false)}, 'Cancel'), ' ',
                h('button', {type: 'submit'}, 'Rename')));
        onSubmit(form, async () => {
            await api('PATCH', path, {name: value(form, 'name')});
            toast('Renamed');
            close(true);
        });
        return form;
    }).then(Boolean);
}
