import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';

export function signInPage(): void {
  const username = field({ id: 'username', label: 'Username', autocomplete: 'username' });
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

  mount(
    h('h1', {}, 'Sign in'),
    form,
    h('p', {}, 'New here? ', h('a', { href: '/signup', 'data-link': true }, 'Create an account')),
  );
}
