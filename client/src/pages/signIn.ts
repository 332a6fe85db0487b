import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { authenticateWithKey, autofillSupported, cancelCeremony, webauthnSupported } from '../webauthn/ceremonies.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import { followReturnAddress, rememberReturnAddress } from '../returnAddress.js';
import { markSignInPending, takeSignedOut } from './deadEnds.js';
import { t } from '../i18n/i18n.js';
import { factorIcon } from '../icons.js';

export async function signInPage(): Promise<void> {
  rememberReturnAddress();
  const session = await api.getSession().catch(() => null);
  // Already signed in: straight on (to the address forward-auth asked for, else the settings),
  // unless an application asked the person to sign in again (?again=1, prompt=login).
  const again = new URLSearchParams(location.search).has('again');
  if (session?.status === 'authenticated' && !again) {
    if (!(await followReturnAddress())) navigate('/settings', true);
    return;
  }
  const signedOut = takeSignedOut();
  // PASSWORDS=off: no password field at all; passkeys (the button, or the username field's autofill) only.
  const passwordsOff = (await api.signupMode().catch(() => null))?.passwords === 'off';
  // "webauthn" in autocomplete lets the browser offer passkeys in the username field (conditional UI).
  const username = field({ id: 'username', label: t('signin.username'), autocomplete: 'username webauthn' });
  const password = field({ id: 'password', label: t('signin.password'), type: 'password', autocomplete: 'current-password' });
  if (again && session?.status === 'authenticated' && session.user) username.input.value = session.user.username;
  const error = errorBox();
  const form = h('form', { novalidate: true }, username.wrap, passwordsOff ? null : password.wrap, error.el, passwordsOff ? null : h('button', { type: 'submit' }, t('signin.submit')));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.clear();
    if (passwordsOff) return passkeyButton.click();
    if (!username.input.value || !password.input.value) {
      error.show(t('signin.missing'));
      return;
    }
    cancelCeremony(); // stop the pending autofill request before the password step
    void busy(form, t('signin.busy'), async () => {
      try {
        const res = await api.signIn({ username: username.input.value, password: password.input.value });
        markSignInPending(res.status === 'mfa_required');
        navigate(res.status === 'mfa_required' ? '/verify' : res.status === 'enroll_required' ? '/settings' : '/', true);
      } catch (err) {
        error.show(describeError(err));
        password.input.value = '';
        password.input.focus();
      }
    });
  });

  const passkeyStatus = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' });
  const passkeyButton = h('button', { type: 'button', class: 'secondary' }, factorIcon('passkey'), t('signin.passkey'));
  passkeyButton.addEventListener('click', () => {
    error.clear();
    passkeyStatus.textContent = t('signin.passkeyPrompt');
    authenticateWithKey()
      .then(() => navigate('/', true))
      .catch((err: unknown) => {
        passkeyStatus.textContent = '';
        error.show(describeWebAuthnError(err, 'passkey'));
      });
  });

  mount(
    h('h1', {}, t('signin.title')),
    signedOut ? h('p', { class: 'notice', role: 'status', 'data-signed-out': true }, t('signin.signedOut')) : '',
    form,
    webauthnSupported() ? h('div', { class: 'passkey' }, h('p', {}, t(passwordsOff ? 'signin.passkeyOnlyIntro' : 'signin.passkeyIntro')), passkeyButton, passkeyStatus) : '',
    h('p', {}, h('a', { href: '/forgot-password', 'data-link': true }, t(passwordsOff ? 'signin.lostPasskey' : 'signin.forgot'))),
    h('p', {}, `${t('signin.newHere')} `, h('a', { href: '/signup', 'data-link': true }, t('signin.createAccount'))),
  );

  // Conditional UI: passkeys offered in the username field's autofill, where supported.
  void autofillSupported().then((yes) => {
    if (!yes) return;
    authenticateWithKey({ autofill: true })
      .then(() => navigate('/', true))
      .catch(() => undefined); // cancelled when the person types a password instead
  });
}
