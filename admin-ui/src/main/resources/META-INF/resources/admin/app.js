// The admin UI: hash routes (#/dashboard, #/tenants/shop, ...) rendered into <main>, live updates from the event
// stream, everything through the admin API with the session login.
import {h, clear, toast} from './modules/dom.js';
import {logout} from './modules/api.js';
import {session, loadUser, loginForm, can, role} from './modules/session.js';
import {connect, disconnect, subscribe} from './modules/events.js';
import {dashboardView} from './modules/dashboard.js';
import {credentialView} from './modules/credential.js';
import {tenantsView, tenantView} from './modules/registry.js';
import {clientsView} from './modules/clients.js';
import {auditView} from './modules/audit.js';
import {adminUsersView} from './modules/admin-users.js';

const main = document.getElementById('main');
let cleanup = [];

const routes = [
    {pattern: /^#\/dashboard$/, view: () => dashboardView},
    {pattern: /^#\/credentials\/([^/]+)\/([^/]+)\/([^/]+)$/, view: () => credentialView},
    {pattern: /^#\/tenants$/, view: () => tenantsView},
    {pattern: /^#\/tenants\/([^/]+)$/, view: () => tenantView},
    {pattern: /^#\/clients(?:\/([^/]+))?$/, view: () => clientsView},
    {pattern: /^#\/audit$/, view: () => auditView},
    {pattern: /^#\/admin-users$/, view: () => adminUsersView, needs: 'ADMIN'},
];

const links = [
    ['#/dashboard', 'Dashboard'],
    ['#/tenants', 'Tenants & apps'],
    ['#/clients', 'API clients'],
    ['#/audit', 'Audit log'],
    ['#/admin-users', 'Admin users & keys', 'ADMIN'],
];

function renderNav() {
    const nav = clear(document.getElementById('nav-links'));
    const current = location.hash.split('/').slice(0, 2).join('/');
    for (const [href, label, needs] of links) {
        if (needs && !can(needs)) continue;
        nav.append(h('li', null, h('a', {href, 'aria-current': href === current ? 'page' : null}, label)));
    }
    document.getElementById('whoami').textContent = `${session.user.username} (${role()})`;
}

async function route() {
    if (!session.user) return;
    cleanup.forEach(stop => stop());
    cleanup = [];
    if (!location.hash || location.hash === '#' || location.hash === '#/') {
        location.replace('#/dashboard');
        return;
    }
    renderNav();
    const hash = location.hash.split('?')[0];
    const found = routes.map(r => ({r, match: hash.match(r.pattern)})).find(x => x.match);
    clear(main);
    if (!found || (found.r.needs && !can(found.r.needs))) {
        main.append(h('h2', null, 'Nothing here'), h('p', null, h('a', {href: '#/dashboard'}, 'Back to the dashboard')));
        return;
    }
    const params = found.match.slice(1).map(p => (p === undefined ? undefined : decodeURIComponent(p)));
    const context = {
        main,
        params,
        onEvent: listener => cleanup.push(subscribe(listener)),
        onLeave: stop => cleanup.push(stop),
    };
    main.dataset.loading = 'true';
    try {
        await found.r.view()(context);
    } catch (error) {
        main.append(h('p', {class: 'error-text', role: 'alert'}, error.message || 'Something went wrong.'));
    } finally {
        delete main.dataset.loading;
    }
    const heading = main.querySelector('h2');
    if (heading) document.title = `${heading.textContent} · Token Center`;
}

function showLogin() {
    disconnect();
    document.getElementById('topbar').hidden = true;
    clear(main);
    main.append(h('article', {class: 'login'}, h('h2', null, 'Token Center admin'), loginForm(start)));
    main.querySelector('input').focus();
}

function start() {
    document.getElementById('topbar').hidden = false;
    connect(document.getElementById('live'));
    route();
}

document.getElementById('logout').addEventListener('click', async () => {
    try {
        await logout();
    } catch (error) {
        toast(error.message, 'error');
    }
    session.user = null;
    showLogin();
});

window.addEventListener('hashchange', route);

loadUser().then(user => (user ? start() : showLogin()), error => {
    clear(main).append(h('p', {role: 'alert', class: 'error-text'}, error.message));
});
