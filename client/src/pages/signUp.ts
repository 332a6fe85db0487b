import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';

export function signUpPage(): void {
  const username = field({ id: 'username', label: 'Username', autocomplete: 'username', hint: '3 to 64 letters, digits or . _ @ + -' });
  const displayName = field({ id: 'displayName', label: 'Your name (optional)', autocomplete: 'name', required: false });
  const password = field({ id: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', minlength: 8, hint: 'At least 8 characters. A long phrase is easier to remember and harder to guess.' });
  const error = errorBox();
  const form = h('form', { novalidate: true }, username.wrap, displayName.wrap, password.wrap, error.el, h('button', { type: 'submit' }, 'Create account'));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.clear();
    if (!form.checkValidity()) {
      error.show('Fill in a username and a password of at least 8 characters.');
      return;
    }
    void busy(form, 'Creating account…', async () => {
      try {
        await api.createAccount({
          username: username.input.value,
          password: password.input.value,
          ...(displayName.input.value.trim() && { displayName: displayName.input.value.trim() }),
        });
        navigate('/settings', true);
      } catch (err) {
        error.show(describeError(err));
      }
    });
  });

  mount(
    h('h1', {}, 'Create your account'),
    form,
    h('p', {}, 'Already have an account? ', h('a', { href: '/signin', 'data-link': true }, 'Sign in')),
  );
}
