// Editing a client's grants: app and environment (or * for every one) and the calls allowed there.
import {h, clear} from './dom.js';

export const RIGHTS = [
    {value: 'token', label: 'token'},
    {value: 'session', label: 'session'},
    {value: 'phone-number', label: 'phone number'},
    {value: 'jssdk', label: 'JS-SDK'},
];

/** A grants editor for a tenant's `apps`; `read()` gives the grants, `element` goes into a form. */
export function grantsEditor(apps, initial = [{app: '*', env: '*', rights: ['token']}]) {
    const rows = h('div', {class: 'grant-rows'});
    const element = h('fieldset', {class: 'grants-editor'}, h('legend', null, 'Grants'),
        h('small', {class: 'field-error', 'data-error-for': 'grants'}), rows,
        h('button', {type: 'button', class: 'small outline', onclick: () => { addRow({app: '*', env: '*', rights: ['token']}); renumber(); }}, 'Add grant'));

    function envOptions(appId, selected) {
        const app = apps.find(a => a.id === appId);
        const names = app ? app.environments.map(e => e.name) : [];
        return [h('option', {value: '*', selected: selected === '*'}, '* (every environment)'),
            ...names.map(name => h('option', {value: name, selected: name === selected}, name))];
    }

    function addRow(grant) {
        const appSelect = h('select', {'data-part': 'app'},
            h('option', {value: '*', selected: grant.app === '*'}, '* (every app)'),
            apps.map(app => h('option', {value: app.id, selected: app.id === grant.app}, app.id)));
        const envSelect = h('select', {'data-part': 'env'}, envOptions(grant.app, grant.env));
        appSelect.addEventListener('change', () => clear(envSelect).append(...envOptions(appSelect.value, '*')));
        const rights = h('fieldset', {'data-part': 'rights'}, h('legend', {class: 'muted'}, 'Rights'),
            RIGHTS.map(right => h('label', null, h('input', {type: 'checkbox', value: right.value,
                checked: (grant.rights || ['token']).includes(right.value)}), ' ', right.label)));
        const row = h('div', {class: 'grant-row'},
            h('label', null, 'App', appSelect), h('label', null, 'Environment', envSelect), rights,
            h('button', {type: 'button', class: 'small outline secondary', 'aria-label': 'Remove grant',
                onclick: () => { row.remove(); renumber(); }}, 'Remove'),
            ['', '.app', '.env', '.rights'].map(suffix => h('small', {class: 'field-error', 'data-suffix': suffix})));
        rows.append(row);
    }

    /** Names each row's inputs as the API names their fields, so errors land next to them. */
    function renumber() {
        [...rows.children].forEach((row, i) => {
            row.querySelector('[data-part="app"]').name = `grants[${i}].app`;
            row.querySelector('[data-part="env"]').name = `grants[${i}].env`;
            row.querySelector('[data-part="app"]').setAttribute('aria-label', `Grant ${i + 1} app`);
            row.querySelector('[data-part="env"]').setAttribute('aria-label', `Grant ${i + 1} environment`);
            row.querySelectorAll('small[data-suffix]').forEach(el => {
                el.dataset.errorFor = `grants[${i}]${el.dataset.suffix}`;
            });
        });
    }

    initial.forEach(addRow);
    renumber();
    return {
        element,
        read: () => [...rows.children].map(row => ({
            app: row.querySelector('[data-part="app"]').value,
            env: row.querySelector('[data-part="env"]').value,
            rights: [...row.querySelectorAll('[data-part="rights"] input:checked')].map(input => input.value),
        })),
    };
}

export function rightsChips(grant) {
    return h('span', null, `${grant.app} / ${grant.env} `,
        (grant.rights || []).map(right => h('span', {class: 'badge right'}, right)));
}
