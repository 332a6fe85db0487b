import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { t } from '../i18n/i18n.js';
import { webauthnSupported } from '../webauthn/ceremonies.js';
import { createPasskey } from '../webauthn/passkeys.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import { showRecoveryCodes } from './recoveryCodes.js';
import { factorIcon } from '../icons.js';

/**
 * The enrolment link of an account an administrator added: set a password, then a second
 * factor; or (PASSWORDS optional or off) create a passkey instead, which is both.
 */
export async function enrolPage(): Promise<void> {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  let username: string;
  try {
    username = (await api.enrolmentFor(token)).user.username;
  } catch (err) {
    return mount(h('h1', {}, t('enrol.unusable')), h('p', { class: 'error', role: 'alert' }, describeError(err)), h('p', {}, h('a', { href: '/signin', 'data-link': true }, t('common.signIn'))));
  }
  const { passwords } = await api.signupMode().catch(() => ({ passwords: 'optional' as const }));
  const passkeyOnly = passwords === 'off';
  const passkeyError = errorBox();
  const passkeyButton = h('button', { type: 'button', class: passkeyOnly ? '' : 'secondary', 'data-passkey-enrol': true }, factorIcon('passkey'), t('enrol.passkey'));
  passkeyButton.addEventListener('click', () => {
    passkeyError.clear();
    passkeyButton.setAttribute('disabled', '');
    createPasskey(
      () => api.enrolmentPasskeyOptions(token),
      (response, defaultName) => api.enrolmentPasskey({ token, response, defaultName }),
    )
      .then((made) => (made.recoveryCodes ? showRecoveryCodes(made.recoveryCodes, () => navigate('/settings', true), made.user.username) : navigate('/settings', true)))
      .catch((err: unknown) => passkeyError.show(describeWebAuthnError(err, 'register')))
      .finally(() => passkeyButton.removeAttribute('disabled'));
  });
  const passkeyPart = passwords !== 'required' && webauthnSupported() ? h('div', { class: 'passkey' }, h('p', {}, t(passkeyOnly ? 'enrol.passkeyOnlyIntro' : 'enrol.passkeyIntro')), passkeyButton, passkeyError.el) : null;
  if (passkeyOnly) return mount(h('h1', {}, t('enrol.title', { username })), passkeyPart);
  const password = field({ id: 'password', label: t('enrol.password'), type: 'password', autocomplete: 'new-password', minlength: 8, hint: t('enrol.passwordHint') });
  const error = errorBox();
  const form = h('form', { novalidate: true }, h('input', { type: 'text', name: 'username', autocomplete: 'username', value: username, hidden: true }), password.wrap, error.el, h('button', { type: 'submit' }, t('enrol.submit')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.clear();
    if (!form.checkValidity()) return error.show(t('enrol.missing'));
    void busy(form, t('enrol.busy'), async () => {
      try {
        await api.completeEnrolment(token, password.input.value);
        navigate('/settings', true);
      } catch (err) {
        error.show(describeError(err));
      }
    });
  });
  mount(h('h1', {}, t('enrol.title', { username })), h('p', {}, t('enrol.intro')), form, passkeyPart);
}
