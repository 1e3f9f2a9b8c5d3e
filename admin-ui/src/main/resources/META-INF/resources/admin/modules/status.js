// Shared pieces of the refresh status: badges, quota against the limit, force budget, operator actions.
import {h, toast, confirmAction} from './dom.js';
import {api, paths} from './api.js';
import {exact, relative, timeLeft} from './format.js';
import {hintFor} from './hints.js';

let limits = null;

export async function refreshLimits() {
    if (!limits) limits = await api('GET', '/admin/api/refresh-limits');
    return limits;
}

export function keyOf(item) {
    return `${item.tenant}/${item.app}/${item.env}`;
}

export function stateBadge(status) {
    return h('span', {class: `badge state-${status.state}`, 'data-state': status.state}, status.state.replace('_', ' '));
}

export function productionBadge(production) {
    return production
        ? h('span', {class: 'badge prod', title: 'Production environment'}, 'PRODUCTION')
        : h('span', {class: 'badge test'}, 'non-production');
}

const ENDPOINTS = {STABLE: '/cgi-bin/stable_token', CLASSIC: '/cgi-bin/token'};

export function tokenEndpoint(status) {
    return status.platform === 'WECOM' ? '/cgi-bin/gettoken' : ENDPOINTS[status.token_mode] || '/cgi-bin/stable_token';
}

export function quotaText(status, limitsNow) {
    const endpoint = tokenEndpoint(status);
    const used = status.quota_used_today?.[endpoint] || 0;
    const limit = status.platform === 'WECOM' ? limitsNow.wecom_daily_limit
        : status.token_mode === 'CLASSIC' ? limitsNow.classic_daily_limit : limitsNow.stable_daily_limit;
    return limit ? `${used} / ${limit.toLocaleString()}` : `${used} (no known limit)`;
}

/** Stable-mode force_refresh calls left today (null where force refresh is a normal call). */
export function forceBudget(status, limitsNow) {
    if (status.platform === 'WECOM' || status.token_mode !== 'STABLE') return null;
    const used = status.quota_used_today?.['/cgi-bin/stable_token#force_refresh'] || 0;
    return Math.max(0, limitsNow.force_refresh_daily_limit - used);
}

export function tokenCell(status) {
    return h('span', {'data-expires': status.expires_at || '', title: exact(status.expires_at)}, timeLeft(status.expires_at));
}

export function relativeCell(iso) {
    return h('span', {'data-relative': iso || '', title: exact(iso)}, relative(iso));
}

export function errorCell(status) {
    const error = status.last_error;
    if (!error) return h('span', {class: 'muted'}, '—');
    const hint = hintFor(error, status);
    return h('div', {class: 'last-error'},
        h('span', {class: 'error-text'}, error.errcode !== null && error.errcode !== undefined ? `${error.errcode}: ` : '', error.message || ''),
        h('span', {class: 'muted'}, ` (${relative(error.at)})`),
        hint ? h('span', {class: 'hint', 'data-hint': ''}, hint) : null);
}

export function needsRetry(status) {
    return ['STOPPED', 'PAUSED', 'RETRYING'].includes(status.state);
}

/** Retry and force-refresh buttons; `production` asks for the environment's name before a force refresh. */
export function actionButtons(status, limitsNow, production, onDone) {
    const buttons = [];
    const name = keyOf(status);
    if (needsRetry(status)) {
        buttons.push(h('button', {type: 'button', class: 'small', 'data-action': 'retry',
            'aria-label': `Retry ${name}`,
            onclick: event => act(event.currentTarget, 'retry', status, onDone)}, 'Retry'));
    }
    if (status.enabled) {
        const budget = forceBudget(status, limitsNow);
        const label = budget === null ? 'Force refresh' : `Force refresh (${budget} left today)`;
        buttons.push(h('button', {type: 'button', class: 'small outline', 'data-action': 'refresh',
            'aria-label': `Force refresh ${name}`, disabled: budget === 0,
            onclick: async event => {
                const target = event.currentTarget;
                const ok = await confirmAction({
                    title: `Force a refresh of ${name}?`,
                    message: budget === null
                        ? 'A new token is fetched now. In classic mode the current token stops working 5 minutes later for every service still holding it.'
                        : `WeChat allows ${limitsNow.force_refresh_daily_limit} force refreshes a day; ${budget} are left today. A normal call is tried first.`,
                    confirmLabel: 'Force refresh',
                    typed: production ? status.env : null,
                });
                if (ok) await act(target, 'refresh', status, onDone);
            }}, label));
    }
    return h('div', {class: 'actions'}, buttons);
}

async function act(button, action, status, onDone) {
    button.setAttribute('aria-busy', 'true');
    try {
        const result = await api('POST', `${paths.env(status.tenant, status.app, status.env)}/${action}`);
        toast(`${keyOf(status)}: ${result.outcome.toLowerCase().replace('_', ' ')}`);
        if (onDone) onDone(result.status);
    } catch (error) {
        toast(`${keyOf(status)}: ${error.message}`, 'error');
    } finally {
        button.removeAttribute('aria-busy');
    }
}

/** Keeps every countdown and relative time in `root` current, once a second. */
export function tick(root) {
    const timer = setInterval(() => {
        const now = Date.now();
        root.querySelectorAll('[data-expires]').forEach(el => {
            if (el.dataset.expires) el.textContent = timeLeft(el.dataset.expires, now);
        });
        root.querySelectorAll('[data-relative]').forEach(el => {
            if (el.dataset.relative) el.textContent = relative(el.dataset.relative, now);
        });
    }, 1000);
    return () => clearInterval(timer);
}
