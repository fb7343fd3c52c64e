// The sign-in screen: log in, or create an account and log in with it.

import { h, keyIcon } from './dom.js';
import { field } from './dialog.js';

/** onSubmit(mode, username, password) where mode is 'login' or 'register'. */
export function renderAuth(root, { onSubmit, notice }) {
  let mode = 'login';
  const username = h('input', { type: 'text', id: 'auth-username', autocomplete: 'username', autocapitalize: 'none',
    spellcheck: 'false', required: true, maxlength: '64' });
  const password = h('input', { type: 'password', id: 'auth-password', autocomplete: 'current-password', required: true, maxlength: '1024' });
  const error = h('p.form-error', { role: 'alert', id: 'auth-error', hidden: !notice, text: notice || '' });
  const submit = h('button.btn.primary.wide', { type: 'submit', id: 'auth-submit' }, 'Log in');
  const tabLogin = h('button.tab', { type: 'button', id: 'tab-login', role: 'tab', 'aria-selected': 'true' }, 'Log in');
  const tabRegister = h('button.tab', { type: 'button', id: 'tab-register', role: 'tab', 'aria-selected': 'false' }, 'Create account');
  const pwHint = h('p.hint', { id: 'auth-password-hint', text: 'At least 8 characters.', hidden: true });
  password.setAttribute('aria-describedby', pwHint.id);
  const form = h('form.auth-form', { id: 'auth-form', 'aria-labelledby': 'auth-heading' },
    field('Username', username), field('Password', password), pwHint, error, submit);

  function setMode(m) {
    mode = m;
    tabLogin.setAttribute('aria-selected', String(m === 'login'));
    tabRegister.setAttribute('aria-selected', String(m === 'register'));
    submit.textContent = m === 'login' ? 'Log in' : 'Create account';
    password.autocomplete = m === 'login' ? 'current-password' : 'new-password';
    pwHint.hidden = m === 'login';
    error.hidden = true;
    username.focus();
  }
  tabLogin.addEventListener('click', () => setMode('login'));
  tabRegister.addEventListener('click', () => setMode('register'));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    const label = submit.textContent;
    submit.textContent = mode === 'login' ? 'Logging in…' : 'Creating account…';
    try {
      await onSubmit(mode, username.value.trim(), password.value);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = label;
      password.select();
    }
  });

  root.replaceChildren(h('div.auth-screen', {},
    h('main.auth-card', {},
      h('div.brand-big', {}, keyIcon('brand-key', 'Sealroom'), h('span', { text: 'Sealroom' })),
      h('h1', { id: 'auth-heading', text: 'Private conversations, sealed in your browser' }),
      h('p.lead', { text: 'Encrypted rooms are locked with keys that never leave your devices.' }),
      h('div.tabs', { role: 'tablist', 'aria-label': 'Sign in or sign up' }, tabLogin, tabRegister),
      form)));
  username.focus();
}
