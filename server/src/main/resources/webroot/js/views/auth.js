// The sign-in screen: log in, or create an account and log in with it.

import { h, keyIcon } from './dom.js';
import { field } from './dialog.js';

// The server's refusals as sentences that say what to do, by code (and field); an unknown code
// keeps the server's own message. field: the input the sentence is about, if any.
const ERRORS = {
  'invalid_request:username': ['username', 'Choose a username of 2 to 64 characters: letters a–z, digits, '
    + 'dots, underscores or hyphens, starting with a letter or a digit.'],
  'invalid_request:password': ['password', 'Choose a password of 8 to 1024 characters.'],
  username_taken: ['username', 'That username is taken. Choose another one.'],
  invalid_credentials: ['password', 'Wrong username or password.'],
  registration_closed: [null, 'This server does not take new accounts. Ask its administrator for one.'],
  rate_limited: [null, 'Too many attempts. Wait a minute, then try again.'],
};

export function authError(e) {
  const field = e.details && e.details.field;
  const known = ERRORS[`${e.code}:${field}`] || ERRORS[e.code];
  if (known) return { field: known[0], text: known[1] };
  return { field: null, text: e.message || 'That did not work. Try again.' };
}

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
  const fields = { username, password };
  // the field at fault is marked and described by the error, until the next try
  function markInvalid(name) {
    for (const [key, input] of Object.entries(fields)) {
      const described = (input.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== error.id);
      if (key === name) {
        input.setAttribute('aria-invalid', 'true');
        described.push(error.id);
      } else {
        input.removeAttribute('aria-invalid');
      }
      if (described.length) input.setAttribute('aria-describedby', described.join(' '));
      else input.removeAttribute('aria-describedby');
    }
  }
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
    markInvalid(null);
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
      const { field: name, text } = authError(e);
      error.textContent = text;
      error.hidden = false;
      submit.disabled = false;
      submit.textContent = label;
      markInvalid(name);
      const input = fields[name] || password;
      input.focus();
      input.select();
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
