// Times as people read them: relative ("in 3 min", "2 h ago") with the exact moment in a tooltip.
export function duration(seconds) {
    const s = Math.abs(Math.round(seconds));
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
    return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function relative(iso, now = Date.now()) {
    if (!iso) return '—';
    const seconds = (Date.parse(iso) - now) / 1000;
    if (Math.abs(seconds) < 2) return 'now';
    return seconds > 0 ? `in ${duration(seconds)}` : `${duration(seconds)} ago`;
}

export function exact(iso) {
    if (!iso) return '';
    return new Date(iso).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
}

/** Time left until `iso`, counting down; "expired" once past. */
export function timeLeft(iso, now = Date.now()) {
    if (!iso) return '—';
    const seconds = (Date.parse(iso) - now) / 1000;
    return seconds <= 0 ? 'expired' : duration(seconds);
}
