import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';

/** Sign-up as SIGNUP allows: open, with an invitation (?invitation=…), or closed. */
export async function signUpPage(): Promise<void> {
  const invitation = new URLSearchParams(location.search).get('invitation');
  const signInLink = h('p', {}, 'Already have an account? ', h('a', { href: '/signin', 'data-link': true }, 'Sign in'));
  const { mode, emailDomains } = await api.signupMode();
  let invited: { email: string | null } | null = null;
  try {
    invited = invitation ? await api.invitation(invitation) : null;
  } catch (err) {
    return mount(h('h1', {}, 'This invitation cannot be used'), h('p', { class: 'error', role: 'alert' }, describeError(err)), signInLink);
  }
  if (mode === 'closed' || (mode === 'invite' && !invited)) {
    const why = mode === 'closed' ? 'Accounts here are created by an administrator.' : 'Accounts here need an invitation: open the link you were sent.';
    return mount(h('h1', {}, 'Sign-up is closed'), h('p', {}, why), signInLink);
  }

  const username = field({ id: 'username', label: 'Username', autocomplete: 'username', hint: '3 to 64 letters, digits or . _ @ + -' });
  const displayName = field({ id: 'displayName', label: 'Your name (optional)', autocomplete: 'name', required: false });
  const needsEmail = Boolean(invited?.email) || (!invited && emailDomains.length > 0);
  const email = field({
    id: 'email',
    label: 'E-mail address',
    type: 'email',
    autocomplete: 'email',
    required: needsEmail,
    hint: invited?.email ? 'The address this invitation was sent to.' : emailDomains.length ? `An address at ${emailDomains.join(', ')}.` : undefined,
  });
  if (invited?.email) email.input.value = invited.email;
  const password = field({ id: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', minlength: 8, hint: 'At least 8 characters. A long phrase is easier to remember and harder to guess.' });
  const error = errorBox();
  const form = h('form', { novalidate: true }, username.wrap, displayName.wrap, needsEmail ? email.wrap : null, password.wrap, error.el, h('button', { type: 'submit' }, 'Create account'));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.clear();
    if (!form.checkValidity()) {
      error.show(needsEmail ? 'Fill in a username, your e-mail address and a password of at least 8 characters.' : 'Fill in a username and a password of at least 8 characters.');
      return;
    }
    void busy(form, 'Creating account…', async () => {
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

  mount(h('h1', {}, invited ? 'You are invited: create your account' : 'Create your account'), form, signInLink);
}
