// What a person should do about a credential's last error, in plain words.
import {exact} from './format.js';

export function hintFor(error, status = {}) {
    if (!error) return null;
    switch (error.errcode) {
        case 40164:
        case 61004:
            return `Add IP ${error.ip || '(the address named in the message)'} to the API IP whitelist in the WeChat console, then retry.`;
        case 45009:
            return `The daily quota is used up. It resets at ${exact(status.paused_until) || 'midnight China time (UTC+8)'}; refreshing resumes by itself then.`;
        case 40125:
            return 'The AppSecret is wrong or was reset: set the new one.';
        case 40001:
            return 'WeChat refused the AppSecret: set the current one, then retry.';
        case 40013:
            return 'WeChat does not know this AppID: check it in the WeChat console and correct the environment.';
        case 40243:
            return 'The AppSecret is frozen: unfreeze or reset it in the WeChat console, set it here, then retry.';
        case 89503:
            return 'WeChat wants an administrator to confirm this call in the WeChat console; confirm it, then retry.';
        case 50001:
        case 50002:
            return 'This AppID is not allowed to use the API (unauthorized or restricted): check its status in the WeChat console.';
        case 45011:
            return 'The per-minute limit was reached; the next attempt waits for the next minute.';
        case -1:
            return 'WeChat was busy; the token center retries by itself.';
        default:
            if (error.policy === 'RETRY') return 'WeChat did not answer properly; the token center retries with backoff.';
            if (error.policy === 'QUOTA_GUARD') return 'Automatic refreshes stopped close to the daily limit, to keep quota for the rest of the day.';
            if (error.policy === 'STOP') return 'Refreshing stopped: fix the cause shown, then retry.';
            return null;
    }
}
