import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { t } from '../i18n/i18n.js';

/** The enrolment link of an account an administrator added: set a password, then a second factor. */
export async function enrolPage(): Promise<void> {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  let username: string;
  try {
    username = (await api.enrolmentFor(token)).user.username;
  } catch (err) {
    return mount(h('h1', {}, t('enrol.unusable')), h('p', { class: 'error', role: 'alert' }, describeError(err)), h('p', {}, h('a', { href: '/signin', 'data-link': true }, t('common.signIn'))));
  }
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
  mount(h('h1', {}, t('enrol.title', { username })), h('p', {}, t('enrol.intro')), form);
}
