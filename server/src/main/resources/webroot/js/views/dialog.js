// Modal dialogs on the native <dialog> element: it traps focus, closes on Escape (which a
// dialog may refuse) and returns focus to where it was.

import { h, append, icon } from './dom.js';

/**
 * Opens a modal. options: {title, id, className, onCancel}; onCancel returns false to keep it
 * open (Escape or the close button). Returns {el, body, footer, close, error(msg), busy(bool)}.
 */
export function openDialog({ title, id, className = '', describedBy, onCancel, role }) {
  const heading = h('h2.dialog-title', { id: `${id}-title`, text: title });
  const body = h('div.dialog-body');
  const footer = h('div.dialog-footer');
  const errorBox = h('p.form-error', { role: 'alert', hidden: true });
  const closeBtn = h('button.icon-btn.dialog-close', { type: 'button', 'aria-label': 'Close' }, icon('close'));
  const el = h(`dialog.dialog${className ? `.${className}` : ''}`,
    { id, role, 'aria-labelledby': `${id}-title`, 'aria-describedby': describedBy },
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

/**
 * Asks before something that cannot be undone, in a modal of its own (over any open dialog):
 * an alertdialog labelled by its question and described by its text, with focus on Cancel.
 * onConfirm() runs on the confirm button; a failure stays in the dialog with its message.
 * Resolves true once onConfirm succeeded, false when cancelled (Cancel, Escape, close).
 */
export function confirmDialog({ title, text, confirmLabel, busyLabel, onConfirm, errorText = (e) => e.message }) {
  return new Promise((resolve) => {
    const d = openDialog({ title, id: 'confirm-dialog', className: 'confirm-dialog', role: 'alertdialog',
      describedBy: 'confirm-dialog-text', onCancel: () => { resolve(false); return true; } });
    d.body.append(h('p', { id: 'confirm-dialog-text', text }));
    const cancel = h('button.btn', { type: 'button', id: 'confirm-cancel' }, 'Cancel');
    const ok = h('button.btn.danger', { type: 'button', id: 'confirm-ok' }, confirmLabel);
    cancel.addEventListener('click', () => d.cancel());
    ok.addEventListener('click', async () => {
      d.error('');
      d.busy(true, busyLabel || confirmLabel);
      try {
        await onConfirm();
        d.close();
        resolve(true);
      } catch (e) {
        d.busy(false, confirmLabel);
        d.error(errorText(e));
        cancel.focus();
      }
    });
    buttons(d.footer, cancel, ok);
    d.show();
    cancel.focus();
  });
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
