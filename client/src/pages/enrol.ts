import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';

/** The enrolment link of an account an administrator added: set a password, then a second factor. */
export async function enrolPage(): Promise<void> {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  let username: string;
  try {
    username = (await api.enrolmentFor(token)).user.username;
  } catch (err) {
    return mount(h('h1', {}, 'This link cannot be used'), h('p', { class: 'error', role: 'alert' }, describeError(err)), h('p', {}, h('a', { href: '/signin', 'data-link': true }, 'Sign in')));
  }
  const password = field({ id: 'password', label: 'Choose a password', type: 'password', autocomplete: 'new-password', minlength: 8, hint: 'At least 8 characters. Next, you add your security key or authenticator app.' });
  const error = errorBox();
  const form = h('form', { novalidate: true }, h('input', { type: 'text', name: 'username', autocomplete: 'username', value: username, hidden: true }), password.wrap, error.el, h('button', { type: 'submit' }, 'Set password'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.clear();
    if (!form.checkValidity()) return error.show('Choose a password of at least 8 characters.');
    void busy(form, 'Saving…', async () => {
      try {
        await api.completeEnrolment(token, password.input.value);
        navigate('/settings', true);
      } catch (err) {
        error.show(describeError(err));
      }
    });
  });
  mount(h('h1', {}, `Welcome, ${username}`), h('p', {}, 'An administrator created your account. Set your password to finish it.'), form);
}
