// Builds DOM nodes without HTML strings: text from the API is always set as text, never parsed as markup.
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'open', 'required', 'readOnly']);

export function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
        if (value === undefined || value === null || value === false) continue;
        if (name === 'class') el.className = value;
        else if (name === 'text') el.textContent = value;
        else if (name === 'dataset') Object.assign(el.dataset, value);
        else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
        else if (PROPERTIES.has(name)) el[name] = value;
        else el.setAttribute(name, value === true ? '' : String(value));
    }
    append(el, children);
    return el;
}

export function append(el, children) {
    for (const child of [children].flat(Infinity)) {
        if (child === undefined || child === null || child === false) continue;
        el.append(child instanceof Node ? child : String(child));
    }
    return el;
}

export function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
    return el;
}

export function toast(message, kind = 'info') {
    const box = document.getElementById('toasts');
    const item = h('div', {class: `toast ${kind}`, role: kind === 'error' ? 'alert' : null}, message);
    box.append(item);
    setTimeout(() => item.remove(), kind === 'error' ? 9000 : 4000);
}

/** A modal dialog; resolves with what the content's callback gives back, or null when cancelled. */
export function modal(title, build) {
    return new Promise(resolve => {
        const dialog = h('dialog', {'aria-labelledby': 'dialog-title'});
        const close = value => {
            dialog.close();
            dialog.remove();
            resolve(value);
        };
        const article = h('article', null, h('header', null, h('h3', {id: 'dialog-title'}, title)));
        append(article, build(close));
        dialog.append(article);
        dialog.addEventListener('cancel', event => {
            event.preventDefault();
            close(null);
        });
        document.body.append(dialog);
        dialog.showModal();
        const first = dialog.querySelector('input, select, textarea, button');
        if (first) first.focus();
    });
}

/**
 * Asks before a change. For production (or anything else worth it), `typed` is the name the user must type.
 * Resolves true when confirmed.
 */
export function confirmAction({title, message, confirmLabel = 'Confirm', typed = null, danger = true}) {
    return modal(title, close => {
        const input = typed ? h('input', {name: 'confirm-name', autocomplete: 'off', 'aria-label': `Type ${typed} to confirm`}) : null;
        const button = h('button', {type: 'submit', class: danger ? 'danger' : null, disabled: Boolean(typed)}, confirmLabel);
        if (input) input.addEventListener('input', () => { button.disabled = input.value.trim() !== typed; });
        const form = h('form', {onsubmit: event => { event.preventDefault(); if (!button.disabled) close(true); }},
            h('p', null, message),
            typed ? h('label', null, 'Type ', h('strong', null, typed), ' to confirm', input) : null,
            h('footer', null,
                h('button', {type: 'button', class: 'secondary', onclick: () => close(false)}, 'Cancel'), ' ', button));
        return form;
    }).then(Boolean);
}
