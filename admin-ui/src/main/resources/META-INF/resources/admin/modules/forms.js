// Forms with labels, and the API's field errors shown next to the field they name.
import {h} from './dom.js';
import {ApiError} from './api.js';

let counter = 0;

/** A labelled input; `name` is the API's field name, so a problem's errors[].field finds it. */
export function field(label, name, attrs = {}) {
    const id = `f-${name.replace(/[^a-z0-9]/gi, '-')}-${++counter}`;
    const input = attrs.options
        ? h('select', {id, name, required: attrs.required, 'aria-describedby': `${id}-error`},
            attrs.options.map(option => h('option', {value: option.value ?? option, selected: (option.value ?? option) === attrs.value},
                option.label ?? option)))
        : h('input', {id, name, type: attrs.type || 'text', value: attrs.value, placeholder: attrs.placeholder,
            required: attrs.required, autocomplete: attrs.autocomplete || 'off', checked: attrs.checked,
            pattern: attrs.pattern, 'aria-describedby': `${id}-error`, role: attrs.type === 'checkbox' ? 'switch' : null});
    const error = h('small', {id: `${id}-error`, class: 'field-error', 'data-error-for': name});
    if (attrs.type === 'checkbox') {
        return h('div', null, h('label', {for: id}, input, ' ', label), attrs.help ? h('small', {class: 'muted'}, attrs.help) : null, error);
    }
    return h('div', null, h('label', {for: id}, label), input,
        attrs.help ? h('small', {class: 'muted'}, attrs.help) : null, error);
}

export function formError() {
    return h('p', {class: 'form-error', role: 'alert', 'data-form-error': ''});
}

export function clearErrors(form) {
    form.querySelectorAll('[data-error-for]').forEach(el => { el.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
    const general = form.querySelector('[data-form-error]');
    if (general) general.textContent = '';
}

/** Puts each field error next to its field; what names no field (or no field here) goes to the form's message. */
export function showErrors(form, error) {
    clearErrors(form);
    const general = form.querySelector('[data-form-error]');
    const unplaced = [];
    const fieldErrors = error instanceof ApiError ? error.fieldErrors : [];
    for (const {field: name, message} of fieldErrors) {
        const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
        const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
        if (slot) {
            slot.textContent = `${name.replace(/_/g, ' ')} ${message}`;
            if (input) input.setAttribute('aria-invalid', 'true');
        } else {
            unplaced.push(`${name} ${message}`);
        }
    }
    const text = fieldErrors.length && !unplaced.length ? 'Correct the marked fields.'
        : [error.message, ...unplaced].filter(Boolean).join(' — ');
    if (general) general.textContent = text;
    const invalid = form.querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
}

/** Runs `action` on submit, with the button busy and errors shown in the form. */
export function onSubmit(form, action) {
    form.addEventListener('submit', async event => {
        event.preventDefault();
        const button = form.querySelector('button[type="submit"]');
        clearErrors(form);
        if (button) button.setAttribute('aria-busy', 'true');
        try {
            await action(form);
        } catch (error) {
            showErrors(form, error);
        } finally {
            if (button) button.removeAttribute('aria-busy');
        }
    });
    return form;
}

export function value(form, name) {
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!input) return undefined;
    if (input.type === 'checkbox') return input.checked;
    return input.value.trim();
}
