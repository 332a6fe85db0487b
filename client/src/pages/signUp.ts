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
 * Sign-up as SIGNUP allows: open, with an invitation (?invitation=…), or closed; with a
 * password or a passkey instead, as PASSWORDS allows (off: a passkey only).
 */
export async function signUpPage(): Promise<void> {
  const invitation = new URLSearchParams(location.search).get('invitation');
  const signInLink = h('p', {}, `${t('signup.haveAccount')} `, h('a', { href: '/signin', 'data-link': true }, t('common.signIn')));
  const { mode, emailDomains, passwords } = await api.signupMode();
  let invited: { email: string | null } | null = null;
  try {
    invited = invitation ? await api.invitation(invitation) : null;
  } catch (err) {
    return mount(h('h1', {}, t('signup.invitationUnusable')), h('p', { class: 'error', role: 'alert' }, describeError(err)), signInLink);
  }
  if (mode === 'closed' || (mode === 'invite' && !invited)) {
    const why = mode === 'closed' ? t('signup.closedByAdmin') : t('signup.closedInvite');
    return mount(h('h1', {}, t('signup.closedTitle')), h('p', {}, why), signInLink);
  }

  const username = field({ id: 'username', label: t('signup.username'), autocomplete: 'username', hint: t('signup.usernameHint') });
  const displayName = field({ id: 'displayName', label: t('signup.displayName'), autocomplete: 'name', required: false });
  const needsEmail = Boolean(invited?.email) || (!invited && emailDomains.length > 0);
  const email = field({
    id: 'email',
    label: t('signup.email'),
    type: 'email',
    autocomplete: 'email',
    required: needsEmail,
    hint: invited?.email ? t('signup.emailInvited') : emailDomains.length ? t('signup.emailDomains', { domains: emailDomains.join(', ') }) : undefined,
  });
  if (invited?.email) email.input.value = invited.email;
  const password = field({ id: 'password', label: t('signup.password'), type: 'password', autocomplete: 'new-password', minlength: 8, hint: t('signup.passwordHint') });
  const error = errorBox();
  const passkeyOnly = passwords === 'off';
  const passkeyOffered = passwords !== 'required' && webauthnSupported();
  const passkeyButton = h('button', { type: passkeyOnly ? 'submit' : 'button', class: passkeyOnly ? '' : 'secondary', 'data-passkey-signup': true }, factorIcon('passkey'), t(passkeyOnly ? 'signup.submitPasskey' : 'signup.passkeyInstead'));
  const form = h(
    'form',
    { novalidate: true },
    username.wrap,
    displayName.wrap,
    needsEmail ? email.wrap : null,
    passkeyOnly ? h('p', { class: 'hint' }, t('signup.passkeyOnlyIntro')) : password.wrap,
    error.el,
    passkeyOnly ? passkeyButton : h('button', { type: 'submit' }, t('signup.submit')),
    !passkeyOnly && passkeyOffered ? h('div', { class: 'passkey' }, h('p', {}, t('signup.passkeyIntro')), passkeyButton) : null,
  );

  const fields = () => ({
    username: username.input.value,
    ...(displayName.input.value.trim() && { displayName: displayName.input.value.trim() }),
    ...(needsEmail && { email: email.input.value.trim() }),
    ...(invitation && { invitation }),
  });

  // A passkey instead of a password: the account exists once the key made it.
  const withPasskey = () => {
    error.clear();
    if (!username.input.checkValidity() || (needsEmail && !email.input.checkValidity())) {
      error.show(needsEmail ? t('signup.missingWithEmail') : t('signup.missing'));
      return;
    }
    void busy(form, t('signup.passkeyBusy'), async () => {
      try {
        const made = await createPasskey(
          () => api.passkeySignUpOptions(fields()),
          (response, defaultName) => api.passkeySignUp({ ...fields(), response, defaultName }),
        );
        if (made.recoveryCodes) showRecoveryCodes(made.recoveryCodes, () => navigate('/settings', true), made.user.username);
        else navigate('/settings', true);
      } catch (err) {
        error.show(describeWebAuthnError(err, 'register'));
      }
    });
  };
  if (!passkeyOnly) passkeyButton.addEventListener('click', withPasskey);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (passkeyOnly) return withPasskey();
    error.clear();
    if (!form.checkValidity()) {
      error.show(needsEmail ? t('signup.missingWithEmail') : t('signup.missing'));
      return;
    }
    void busy(form, t('signup.busy'), async () => {
      try {
        await api.createAccount({
          username: username.input.value,
          password: password.input.value,
          ...(displayName.input.value.trim() && { displayName: displayName.input.value.trim() }),
          ...(needsEmail && { email: email.input.value.trim() }),
          ...(invitation && { invitation }),
        });
        navigate('/settings', true);
      } catch (err) {
        error.show(describeError(err));
      }
    });
  });

  mount(h('h1', {}, invited ? t('signup.titleInvited') : t('signup.title')), form, signInLink);
}
