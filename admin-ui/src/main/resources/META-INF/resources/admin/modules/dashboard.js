// The refresh dashboard: every credential, its state and token, live.
import {h, append, clear} from './dom.js';
import {api, paths} from './api.js';
import {can} from './session.js';
import {
    actionButtons, errorCell, keyOf, productionBadge, quotaText, refreshLimits, relativeCell, stateBadge, tick, tokenCell,
} from './status.js';

const STATES = ['OK', 'REFRESHING', 'RETRYING', 'STOPPED', 'PAUSED', 'NO_TOKEN'];

export async function dashboardView({main, onEvent, onLeave}) {
    const rows = new Map();
    const environments = new Map();
    const limits = await refreshLimits();
    const filters = {tenant: '', state: '', attention: false, text: ''};

    const tbody = h('tbody');
    const summary = h('div', {class: 'summary-cards', 'aria-label': 'Summary'});
    const count = h('p', {class: 'muted', role: 'status'});
    const tenantSelect = h('select', {id: 'filter-tenant', name: 'tenant'}, h('option', {value: ''}, 'All tenants'));
    const stateSelect = h('select', {id: 'filter-state', name: 'state'}, h('option', {value: ''}, 'Any state'),
        STATES.map(state => h('option', {value: state}, state.replace('_', ' '))));
    const attention = h('input', {type: 'checkbox', id: 'filter-attention', name: 'attention', role: 'switch'});
    const search = h('input', {type: 'search', id: 'filter-text', name: 'text', placeholder: 'tenant, app, env or AppID'});

    main.append(
        h('h2', null, 'Refresh dashboard'),
        summary,
        h('form', {class: 'filters', role: 'search', onsubmit: e => e.preventDefault()},
            h('label', {for: 'filter-tenant'}, 'Tenant', tenantSelect),
            h('label', {for: 'filter-state'}, 'State', stateSelect),
            h('label', {for: 'filter-text'}, 'Search', search),
            h('label', {for: 'filter-attention', class: 'check'}, attention, ' Needs attention')),
        count,
        h('div', {class: 'table-wrap'}, h('table', {class: 'striped', id: 'dashboard'},
            h('thead', null, h('tr', null,
                h('th', {scope: 'col'}, 'Credential'), h('th', {scope: 'col'}, 'State'),
                h('th', {scope: 'col'}, 'Token left'), h('th', {scope: 'col'}, 'Last refresh'),
                h('th', {scope: 'col'}, 'Next refresh'), h('th', {scope: 'col'}, 'Quota today'),
                h('th', {scope: 'col'}, 'Last error'), can('OPERATOR') ? h('th', {scope: 'col'}, 'Actions') : null)),
            tbody)));

    for (const [input, key] of [[tenantSelect, 'tenant'], [stateSelect, 'state'], [search, 'text']]) {
        input.addEventListener('input', () => { filters[key] = input.value.trim().toLowerCase(); render(); });
    }
    attention.addEventListener('change', () => { filters.attention = attention.checked; render(); });

    function visible(status) {
        if (filters.tenant && status.tenant !== filters.tenant) return false;
        if (filters.state && status.state.toLowerCase() !== filters.state) return false;
        if (filters.attention && !(status.needs_attention || status.state === 'RETRYING')) return false;
        if (filters.text) {
            const text = `${keyOf(status)} ${status.appid}`.toLowerCase();
            if (!text.includes(filters.text)) return false;
        }
        return true;
    }

    function row(status) {
        const env = environments.get(keyOf(status));
        const production = Boolean(env?.production);
        const attentionNeeded = status.needs_attention || status.state === 'RETRYING';
        return h('tr', {'data-key': keyOf(status), class: [production ? 'prod' : '', attentionNeeded ? 'attention' : ''].join(' ').trim() || null},
            h('td', null,
                h('a', {href: `#/credentials/${encodeURIComponent(status.tenant)}/${encodeURIComponent(status.app)}/${encodeURIComponent(status.env)}`},
                    `${status.tenant} / ${status.app} / ${status.env}`), ' ',
                productionBadge(production),
                status.enabled ? null : h('span', {class: 'badge disabled'}, 'disabled'),
                h('div', {class: 'muted'}, status.appid, status.token_mode ? ` · ${status.token_mode.toLowerCase()}` : ''),
                status.shared_with?.length ? h('div', {class: 'muted'}, `one credential with ${status.shared_with.join(', ')}`) : null),
            h('td', {'data-label': 'State'}, stateBadge(status)),
            h('td', {'data-label': 'Token left'}, tokenCell(status)),
            h('td', {'data-label': 'Last refresh'}, relativeCell(status.obtained_at),
                status.last_trigger ? h('div', {class: 'muted'}, status.last_trigger) : null),
            h('td', {'data-label': 'Next refresh'}, status.state === 'PAUSED' ? ['paused until ', relativeCell(status.paused_until)] : relativeCell(status.next_refresh_at)),
            h('td', {'data-label': 'Quota today'}, quotaText(status, limits)),
            h('td', {'data-label': 'Last error'}, errorCell(status)),
            can('OPERATOR') ? h('td', {'data-label': 'Actions'}, actionButtons(status, limits, production, updated => update(updated))) : null);
    }

    function render() {
        const all = [...rows.values()];
        const shown = all.filter(visible);
        clear(tbody).append(...shown.map(row));
        if (!shown.length) {
            tbody.append(h('tr', null, h('td', {colspan: 8, class: 'muted'},
                all.length ? 'No credential matches the filters.' : 'No credentials yet: register an app and an environment under Tenants & apps.')));
        }
        renderSummary();
    }

    function renderSummary() {
        const all = [...rows.values()];
        count.textContent = `${all.filter(visible).length} of ${all.length} credentials shown`;
        const by = state => all.filter(s => s.state === state).length;
        clear(summary).append(
            h('div', null, h('strong', null, String(all.length)), 'credentials'),
            h('div', null, h('strong', null, String(by('OK'))), 'OK'),
            h('div', null, h('strong', null, String(all.filter(s => s.needs_attention).length)), 'need attention'),
            h('div', null, h('strong', null, String(by('RETRYING') + by('REFRESHING'))), 'refreshing or retrying'));
    }

    function update(status) {
        if (!status) return;
        rows.set(keyOf(status), status);
        const existing = tbody.querySelector(`tr[data-key="${CSS.escape(keyOf(status))}"]`);
        if (existing && visible(status)) {
            existing.replaceWith(row(status));
            renderSummary();
        } else {
            render();
        }
    }

    async function loadEnvironments() {
        const tenants = await api('GET', '/admin/api/tenants');
        const current = tenantSelect.value;
        append(clear(tenantSelect), [h('option', {value: ''}, 'All tenants'),
            tenants.map(t => h('option', {value: t.id, selected: t.id === current}, t.name ? `${t.name} (${t.id})` : t.id))]);
        const apps = await Promise.all(tenants.map(t => api('GET', `${paths.tenant(t.id)}/apps`).catch(() => [])));
        environments.clear();
        apps.flat().forEach(app => app.environments.forEach(env => environments.set(`${app.tenant}/${app.id}/${env.name}`, env)));
    }

    async function loadAll() {
        const [report] = await Promise.all([api('GET', '/admin/api/status'), loadEnvironments()]);
        rows.clear();
        report.credentials.forEach(status => rows.set(keyOf(status), status));
        render();
    }

    // events: refetch what changed, a few at a time; a burst or an unknown credential reloads everything
    const dirty = new Set();
    let timer = null;
    function schedule(key) {
        dirty.add(key);
        if (!timer) timer = setTimeout(flush, 200);
    }
    async function flush() {
        timer = null;
        const keys = [...dirty];
        dirty.clear();
        if (keys.length > 20 || keys.some(key => key === '*' || !rows.has(key))) {
            await loadAll().catch(() => {});
            return;
        }
        await Promise.all(keys.map(key => {
            const [tenant, app, env] = key.split('/');
            return api('GET', `${paths.env(tenant, app, env)}/status`).then(update).catch(() => {});
        }));
    }

    onEvent((type, data) => {
        if (type === 'open') schedule('*');
        if (type === 'refresh') {
            for (const env of data.environments || []) {
                const key = `${env.tenant}/${env.app}/${env.env}`;
                const known = rows.get(key);
                if (known) update({...known, state: data.state}); // at once; the full status follows
                schedule(key);
            }
        }
        if (type === 'credential') {
            schedule('*');
            setTimeout(() => schedule('*'), 1500); // the catalog reloads on its own thread
        }
    });
    onLeave(tick(main));
    onLeave(() => clearTimeout(timer));
    await loadAll();
}
