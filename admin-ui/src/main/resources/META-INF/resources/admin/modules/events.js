// The live event stream (server-sent events). EventSource reconnects by itself and resumes with Last-Event-ID;
// when the stream is refused (the session ended) the user logs in again and it reopens.
import {api} from './api.js';

const listeners = new Set();
const TYPES = ['refresh', 'credential', 'client', 'admin-user'];
let source = null;
let indicator = null;
let closedRetry = null;

export function subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

function show(state, text) {
    if (!indicator) return;
    indicator.textContent = text;
    indicator.className = `live ${state}`;
}

export function connect(statusElement) {
    indicator = statusElement;
    if (source) source.close();
    source = new EventSource('/admin/api/events');
    source.addEventListener('open', () => {
        show('on', 'live');
        listeners.forEach(listener => listener('open', null));
    });
    source.addEventListener('error', () => {
        if (source.readyState === EventSource.CLOSED) {
            show('off', 'offline');
            clearTimeout(closedRetry);
            closedRetry = setTimeout(async () => {
                try {
                    await api('GET', '/admin/api/me');
                } finally {
                    connect(indicator);
                }
            }, 2000);
        } else {
            show('off', 'reconnecting…');
        }
    });
    for (const type of TYPES) {
        source.addEventListener(type, message => {
            let data;
            try {
                data = JSON.parse(message.data);
            } catch {
                return;
            }
            listeners.forEach(listener => listener(type, data, message.lastEventId));
        });
    }
}

export function disconnect() {
    clearTimeout(closedRetry);
    if (source) source.close();
    source = null;
    show('off', 'offline');
}
