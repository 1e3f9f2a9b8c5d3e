// One credential: its status, token countdown, actions, environment details and recent refresh history.
import {h, clear} from './dom.js';
import {api, paths} from './api.js';
import {can} from './session.js';
import {exact, relative} from './format.js';
import {hintFor} from './hints.js';
import {actionButtons, errorCell, forceBudget, productionBadge, quotaText, refreshLimits, relativeCell, stateBadge, tick, tokenCell} from './status.js';

export async function credentialView({main, params, onEvent, onLeave}) {
    const [tenant, app, env] = params;
    const limits = await refreshLimits();
    const statusBox = h('section', {'aria-label': 'Status'});
    const historyBox = h('section', {'aria-label': 'Refresh history'});
    let environment = await api('GET', paths.env(tenant, app, env));
    main.append(
        h('nav', {'aria-label': 'breadcrumb'}, h('ul', null, h('li', null, h('a', {href: '#/dashboard'}, 'Dashboard')),
            h('li', null, h('a', {href: `#/tenants/${encodeURIComponent(tenant)}`}, tenant)), h('li', null, `${app} / ${env}`))),
        h('h2', null, `${tenant} / ${app} / ${env} `, productionBadge(environment.production)),
        statusBox, historyBox);

    function dl(pairs) {
        return h('dl', null, pairs.filter(Boolean).flatMap(([term, detail]) => [h('dt', null, term), h('dd', null, detail)]));
    }

    async function loadStatus() {
        const status = await api('GET', `${paths.env(tenant, app, env)}/status`);
        const budget = forceBudget(status, limits);
        clear(statusBox).append(h('article', {class: environment.production ? 'prod' : null},
            h('header', null, stateBadge(status), status.enabled ? null : h('span', {class: 'badge disabled'}, 'disabled'),
                status.needs_attention ? h('strong', {class: 'error-text'}, ' needs attention') : null),
            dl([
                ['Token left', tokenCell(status)],
                ['Obtained', [relativeCell(status.obtained_at), status.last_trigger ? ` (${status.last_trigger})` : '',
                    status.refreshed_by ? h('span', {class: 'muted'}, ` by ${status.refreshed_by}`) : '']],
                ['Next refresh', status.state === 'PAUSED' ? ['paused until ', relativeCell(status.paused_until)] : relativeCell(status.next_refresh_at)],
                ['Quota used today', quotaText(status, limits)],
                budget === null ? null : ['Force refreshes left today', String(budget)],
                ['Last error', errorCell(status)],
                [environment.agent_id !== null && environment.agent_id !== undefined ? 'Corp id' : 'AppID', h('code', null, status.appid)],
                ['AppSecret', [environment.secret_hint ? `…${environment.secret_hint}` : 'set (write-only)',
                    h('span', {class: 'muted'}, ` rotated ${exact(environment.rotated_at)}, version ${environment.credential_version}`)]],
                ['Token mode', status.token_mode ? status.token_mode.toLowerCase() : 'WeCom'],
                ['Shares its credential with', status.shared_with?.length ? status.shared_with.join(', ') : 'nobody'],
            ]),
            can('OPERATOR') ? h('footer', null, actionButtons(status, limits, environment.production, () => refresh())) : null));
    }

    async function loadHistory() {
        const history = await api('GET', `${paths.env(tenant, app, env)}/history`);
        const items = history.entries.map(entry => {
            const failed = ['STOPPED', 'RETRYING'].includes(entry.state);
            const waiting = entry.state === 'PAUSED';
            const hint = failed || waiting ? hintFor({errcode: entry.errcode, message: entry.message, policy: null}, {}) : null;
            return h('li', {class: failed ? 'failed' : waiting ? 'waiting' : null},
                h('strong', null, entry.state.replace('_', ' ')), ' ',
                h('span', {title: exact(entry.at)}, relative(entry.at)),
                entry.trigger ? h('span', {class: 'muted'}, ` · ${entry.trigger}`) : null,
                entry.refreshed_by && !failed ? h('span', {class: 'muted'}, ` · ${entry.refreshed_by}`) : null,
                entry.message ? h('div', {class: 'error-text'}, entry.errcode !== null && entry.errcode !== undefined ? `${entry.errcode}: ` : '', entry.message) : null,
                hint ? h('div', {class: 'hint'}, hint) : null);
        });
        clear(historyBox).append(h('h3', null, 'Recent refreshes'),
            items.length ? h('ol', {class: 'timeline'}, items) : h('p', {class: 'muted'}, 'No refresh recorded yet.'));
    }

    async function refresh() {
        environment = await api('GET', paths.env(tenant, app, env));
        await Promise.all([loadStatus(), loadHistory()]);
    }

    let timer = null;
    onEvent((type, data) => {
        const mine = type === 'open'
            || (type === 'refresh' && (data.environments || []).some(e => e.tenant === tenant && e.app === app && e.env === env))
            || (type === 'credential' && data.tenant === tenant && data.app === app && data.env === env);
        if (mine && !timer) {
            timer = setTimeout(() => { timer = null; refresh().catch(() => {}); }, 200);
        }
    });
    onLeave(tick(main));
    onLeave(() => clearTimeout(timer));
    await Promise.all([loadStatus(), loadHistory()]);
}
