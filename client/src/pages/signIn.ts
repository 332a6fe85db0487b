import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { authenticateWithKey, autofillSupported, cancelCeremony, webauthnSupported } from '../webauthn/ceremonies.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import { rememberReturnAddress } from '../returnAddress.js';

export function signInPage(): void {
  rememberReturnAddress();
  // "webauthn" in autocomplete lets the browser offer passkeys in the username field (conditional UI).
  const username = field({ id: 'username', label: 'Username', autocomplete: 'username webauthn' });
  const password = field({ id: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' });
  const error = errorBox();
  const form = h('form', { novalidate: true }, username.wrap, password.wrap, error.el, h('button', { type: 'submit' }, 'Sign in'));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.clear();
    if (!username.input.value || !password.input.value) {
      error.show('Enter your username and password.');
      return;
    }
    cancelCeremony(); // stop the pending autofill request before the password step
    void busy(form, 'Signing in…', async () => {
      try {
        const res = await api.signIn({ username: username.input.value, password: password.input.value });
        navigate(res.status === 'mfa_required' ? '/verify' : res.status === 'enroll_required' ? '/settings' : '/', true);
      } catch (err) {
        error.show(describeError(err));
        password.input.value = '';
        password.input.focus();
      }
    });
  });

  const passkeyStatus = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' });
  const passkeyButton = h('button', { type: 'button', class: 'secondary' }, 'Sign in with a passkey');
  passkeyButton.addEventListener('click', () => {
    error.clear();
    passkeyStatus.textContent = 'Follow your browser’s prompt to use your passkey or security key…';
    authenticateWithKey()
      .then(() => navigate('/', true))
      .catch((err: unknown) => {
        passkeyStatus.textContent = '';
        error.show(describeWebAuthnError(err));
      });
  });

  mount(
    h('h1', {}, 'Sign in'),
    form,
    webauthnSupported() ? h('div', { class: 'passkey' }, h('p', {}, 'Or, without a password:'), passkeyButton, passkeyStatus) : '',
    h('p', {}, 'New here? ', h('a', { href: '/signup', 'data-link': true }, 'Create an account')),
  );

  // Conditional UI: passkeys offered in the username field's autofill, where supported.
  void autofillSupported().then((yes) => {
    if (!yes) return;
    authenticateWithKey({ autofill: true })
      .then(() => navigate('/', true))
      .catch(() => undefined); // cancelled when the person types a password instead
  });
}
