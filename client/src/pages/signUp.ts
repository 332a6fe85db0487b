import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { t } from '../i18n/i18n.js';

/** Sign-up as SIGNUP allows: open, with an invitation (?invitation=…), or closed. */
export async function signUpPage(): Promise<void> {
  const invitation = new URLSearchParams(location.search).get('invitation');
  const signInLink = h('p', {}, `${t('signup.haveAccount')} `, h('a', { href: '/signin', 'data-link': true }, t('common.signIn')));
  const { mode, emailDomains } = await api.signupMode();
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
  const form = h('form', { novalidate: true }, username.wrap, displayName.wrap, needsEmail ? email.wrap : null, password.wrap, error.el, h('button', { type: 'submit' }, t('signup.submit')));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
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
