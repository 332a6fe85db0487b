import { api, ApiError, type Factor } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { verifyPanel } from '../verify/verifyPanel.js';
import { t } from '../i18n/i18n.js';
import { webauthnSupported } from '../webauthn/ceremonies.js';
import { createPasskey } from '../webauthn/passkeys.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import { showRecoveryCodes } from './recoveryCodes.js';
import { factorIcon } from '../icons.js';

/**
 * The link from a password-reset mail: it is used on opening, then a second factor of the
 * account confirms it is its person, then the new password. A reload between the steps
 * goes on where the session is.
 */
export async function resetPasswordPage(): Promise<void> {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  // The token is spent by this visit: keep it out of history and of any later Referer.
  history.replaceState(null, '', '/reset-password');
  const session = await api.getSession().catch(() => null);
  if (session?.status === 'reset_password') return void newPasswordStep(session.user?.username ?? '');
  if (session?.status === 'reset_required') return factorStep(session.user?.username ?? '', session.factors);
  try {
    const opened = await api.openPasswordReset(token);
    factorStep(opened.user.username, opened.factors);
  } catch (err) {
    // The server refuses a used, expired or mistyped link, and one for an account without a
    // second factor, all alike (forbidden; a malformed token is invalid): "not allowed" or
    // "the form is not valid" would tell the person nothing about what to do next.
    const why = err instanceof ApiError && (err.code === 'forbidden' || err.code === 'invalid_request') ? t('reset.linkSpent') : describeError(err);
    mount(
      h('h1', {}, t('reset.unusable')),
      h('p', { class: 'error', role: 'alert' }, why),
      h('p', {}, h('a', { href: '/forgot-password', 'data-link': true }, t('reset.askAgain'))),
    );
  }
}

function factorStep(username: string, factors: Factor[]): void {
  mount(h('h1', {}, t('reset.title')), h('p', {}, t('reset.confirm', { username })), verifyPanel(factors, () => void newPasswordStep(username)));
}

/** A passkey in place of the forgotten password (PASSWORDS optional or off): passkey-only from then on. */
function passkeyStep(passkeyOnly: boolean): HTMLElement {
  const error = errorBox();
  const button = h('button', { type: 'button', class: passkeyOnly ? '' : 'secondary', 'data-passkey-reset': true }, factorIcon('passkey'), t('reset.passkey'));
  button.addEventListener('click', () => {
    error.clear();
    button.setAttribute('disabled', '');
    createPasskey(() => api.resetPasskeyOptions(), (response, defaultName) => api.resetPasskey({ response, defaultName }))
      .then((made) => (made.recoveryCodes ? showRecoveryCodes(made.recoveryCodes, () => navigate('/', true), made.user.username) : navigate('/', true)))
      .catch((err: unknown) => error.show(describeWebAuthnError(err, 'register')))
      .finally(() => button.removeAttribute('disabled'));
  });
  return h('div', { class: 'passkey' }, h('p', {}, t(passkeyOnly ? 'reset.passkeyOnlyIntro' : 'reset.passkeyIntro')), button, error.el);
}

async function newPasswordStep(username: string): Promise<void> {
  const { passwords } = await api.signupMode().catch(() => ({ passwords: 'optional' as const }));
  const passkey = passwords !== 'required' && webauthnSupported() ? passkeyStep(passwords === 'off') : null;
  if (passwords === 'off') return mount(h('h1', {}, t('reset.title')), passkey);
  const password = field({ id: 'new-password', label: t('reset.password'), type: 'password', autocomplete: 'new-password', minlength: 8, hint: t('reset.passwordHint') });
  const error = errorBox();
  const form = h('form', { novalidate: true }, h('input', { type: 'text', name: 'username', autocomplete: 'username', value: username, hidden: true }), password.wrap, error.el, h('button', { type: 'submit' }, t('reset.submit')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.clear();
    if (!form.checkValidity() || !password.input.value) return error.show(t('reset.missing'));
    void busy(form, t('reset.busy'), async () => {
      try {
        await api.completePasswordReset(password.input.value);
        navigate('/', true);
      } catch (err) {
        error.show(describeError(err));
      }
    });
  });
  mount(h('h1', {}, t('reset.title')), h('p', {}, t('reset.choose', { username })), form, passkey);
  password.input.focus();
}
