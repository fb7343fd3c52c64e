// Modal dialogs on the native <dialog> element: it traps focus, closes on Escape (which a
// dialog may refuse) and returns focus to where it was.

import { h, append, icon } from './dom.js';

/**
 * Opens a modal. options: {title, id, className, onCancel}; onCancel returns false to keep it
 * open (Escape or the close button). Returns {el, body, footer, close, error(msg), busy(bool)}.
 */
export function openDialog({ title, id, className = '', describedBy, onCancel }) {
  const heading = h('h2.dialog-title', { id: `${id}-title`, text: title });
  const body = h('div.dialog-body');
  const footer = h('div.dialog-footer');
  const errorBox = h('p.form-error', { role: 'alert', hidden: true });
  const closeBtn = h('button.icon-btn.dialog-close', { type: 'button', 'aria-label': 'Close' }, icon('close'));
  const el = h(`dialog.dialog${className ? `.${className}` : ''}`,
    { id, 'aria-labelledby': `${id}-title`, 'aria-describedby': describedBy },
    h('div.dialog-head', {}, heading, closeBtn), body, errorBox, footer);
  const previous = document.activeElement;
  let closed = false;

  const close = () => {
    if (closed) return;
    closed = true;
    el.close();
    el.remove();
    if (previous && previous.focus && document.contains(previous)) previous.focus();
  };
  const cancel = () => {
    if (!onCancel || onCancel() !== false) close();
  };
  el.addEventListener('cancel', (ev) => { ev.preventDefault(); cancel(); });
  closeBtn.addEventListener('click', cancel);

  document.body.append(el);
  return {
    el, body, footer, close, cancel,
    get closed() { return closed; },
    show() { el.showModal(); },
    error(msg) {
      errorBox.textContent = msg || '';
      errorBox.hidden = !msg;
    },
    busy(on, label) {
      el.querySelectorAll('button, input, textarea, select').forEach((b) => {
        if (on) {
          b.dataset.wasDisabled = b.disabled ? '1' : '';
          b.disabled = true;
        } else {
          b.disabled = b.dataset.wasDisabled === '1';
        }
      });
      el.setAttribute('aria-busy', on ? 'true' : 'false');
      const primary = footer.querySelector('.btn.primary, .btn.danger');
      if (primary && label !== undefined) primary.textContent = label;
    },
  };
}

/** A labelled field: label, control, optional hint. */
export function field(label, control, hint) {
  const hintEl = hint ? h('p.hint', { id: `${control.id}-hint`, text: hint }) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', {}, h('label', { for: control.id, text: label }), control, hintEl);
}

/** A switch (a checkbox styled as a toggle) with its label and hint. */
export function toggle(id, label, checked, hint) {
  const input = h('input.switch', { type: 'checkbox', id, role: 'switch', checked: !!checked });
  const hintEl = hint ? h('p.hint', { id: `${id}-hint`, text: hint }) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return { input, el: h('div.field.toggle-field', {}, h('label.toggle', { for: id }, input, h('span', { text: label })), hintEl) };
}

export function buttons(footer, ...btns) {
  append(footer, btns);
}
