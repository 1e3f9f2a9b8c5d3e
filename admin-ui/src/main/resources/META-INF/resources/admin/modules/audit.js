// The audit log: filtered by tenant, actor, action and time, newest first, a page at a time.
import {h, clear} from './dom.js';
import {api} from './api.js';
import {field, formError, onSubmit, value} from './forms.js';
import {exact} from './format.js';

const PAGE_SIZE = 50;

export async function auditView({main}) {
    const tenants = await api('GET', '/admin/api/tenants');
    let page = 0;
    const list = h('tbody');
    const pager = h('div', {class: 'pager'});
    const form = h('form', {class: 'filters', 'aria-label': 'Audit filters'},
        field('Tenant', 'tenant', {options: [{value: '', label: 'All tenants'}, ...tenants.map(t => ({value: t.id, label: t.id}))]}),
        field('Actor', 'actor', {placeholder: 'username'}),
        field('Action', 'action', {placeholder: 'client.create or client.'}),
        field('Since', 'since', {type: 'datetime-local'}),
        field('Until', 'until', {type: 'datetime-local'}),
        h('button', {type: 'submit'}, 'Filter'), formError());
    main.append(h('h2', null, 'Audit log'), form,
        h('div', {class: 'table-wrap'}, h('table', {class: 'striped', id: 'audit'},
            h('thead', null, h('tr', null, h('th', null, 'When'), h('th', null, 'Actor'), h('th', null, 'Action'),
                h('th', null, 'Target'), h('th', null, 'Outcome'), h('th', {class: 'hide-narrow'}, 'Details'))), list)),
        pager);

    function query() {
        const params = new URLSearchParams({page: String(page), size: String(PAGE_SIZE)});
        for (const name of ['tenant', 'actor', 'action']) {
            if (value(form, name)) params.set(name, value(form, name));
        }
        for (const name of ['since', 'until']) {
            const local = value(form, name);
            if (local) params.set(name, new Date(local).toISOString());
        }
        return params;
    }

    async function load() {
        const result = await api('GET', `/admin/api/audit?${query()}`);
        clear(list).append(...result.events.map(event => h('tr', null,
            h('td', null, exact(event.at)), h('td', null, event.actor), h('td', null, h('code', null, event.action)),
            h('td', null, event.target || ''), h('td', null, event.outcome),
            h('td', {class: 'hide-narrow'}, h('code', {class: 'muted'}, JSON.stringify(event.details))))));
        if (!result.events.length) list.append(h('tr', null, h('td', {colspan: 6, class: 'muted'}, 'No events match.')));
        clear(pager).append(
            h('button', {type: 'button', class: 'small outline', disabled: page === 0, onclick: () => { page--; load(); }}, 'Newer'),
            h('span', null, `Page ${page + 1}`),
            h('button', {type: 'button', class: 'small outline', disabled: !result.has_more, onclick: () => { page++; load(); }}, 'Older'));
    }
    onSubmit(form, async () => {
        page = 0;
        await load();
    });
    await load();
}
