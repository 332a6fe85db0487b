import { api } from '../api.js';
import { busy, errorBox, field, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { t } from '../i18n/i18n.js';

/** "Forgot password?": asks for a link; the answer is the same whether or not the account exists. */
export function forgotPasswordPage(): void {
  const account = field({ id: 'account', label: t('forgot.account'), autocomplete: 'username' });
  const error = errorBox();
  const result = h('div', {});
  const form = h('form', { novalidate: true }, account.wrap, error.el, h('button', { type: 'submit' }, t('forgot.submit')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.clear();
    if (!account.input.value.trim()) return error.show(t('forgot.missing'));
    void busy(form, t('forgot.busy'), async () => {
      try {
        await api.requestPasswordReset(account.input.value.trim());
        result.replaceChildren(h('p', { class: 'notice', role: 'status', 'data-reset-requested': true }, t('forgot.sent')));
      } catch (err) {
        error.show(describeError(err));
      }
    });
  });
  // Directory people get no link from here (their password is the directory's): said up front,
  // to everyone alike, so the answer still tells nobody which kind of account a name is.
  const directory = h('div', {});
  void api.branding().then(
    (b) => b.passwordHelpUrl && directory.replaceChildren(h('p', { class: 'directory-password' }, t('forgot.directory'), ' ', h('a', { href: b.passwordHelpUrl }, b.passwordHelpUrl))),
    () => {},
  );
  mount(h('h1', {}, t('forgot.title')), h('p', {}, t('forgot.intro')), directory, form, result, h('p', {}, h('a', { href: '/signin', 'data-link': true }, t('common.signIn'))));
}
