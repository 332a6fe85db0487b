import { api, type AdminUser } from '../api.js';
import { errorBox, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { withStepUp } from '../verify/withStepUp.js';
import { accessForms, groupsCell, linkBox } from './adminAccess.js';
import { t } from '../i18n/i18n.js';
import { confirmDialog } from '../confirmDialog.js';
import { factorList } from '../factorNames.js';

const ACTIONS = [
  ['reset-mfa', 'admin.resetMfa', 'admin.resetMfaQuestion'],
  ['unlock', 'admin.unlock', 'admin.unlockQuestion'],
  ['sessions/revoke', 'admin.revoke', 'admin.revokeQuestion'],
] as const;

/** A small administration page: find users, see their factors and lock state, act. */
export async function adminPage(): Promise<void> {
  const session = await api.getSession();
  if (session.status !== 'authenticated' || !session.admin) return navigate('/', true);
  const error = errorBox();
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'progress' });
  const query = h('input', { id: 'admin-query', type: 'search', autocomplete: 'off' });
  const results = h('div', {});
  const host = h('div', {});
  const resetLink = h('div', { 'data-reset-link': true });
  const feedback = { host, error, done: (message: string) => (status.textContent = message) };

  const row = (u: AdminUser) => {
    const buttons = ACTIONS.map(([action, label, question]) => {
      const b = h('button', { type: 'button', class: 'secondary' }, t(label));
      b.addEventListener('click', async () => {
        if (!(await confirmDialog(t(question, { username: u.username }), t(label)))) return;
        error.clear();
        withStepUp(host, () => api.adminAction(u.id, action)).then(
          (answer) => {
            status.textContent = t('admin.done', { action: t(label), username: u.username });
            // A reset answers the only way back in: shown once, to hand over.
            resetLink.replaceChildren(answer?.url && answer.expiresAt ? linkBox(t('admin.resetLink', { username: u.username }), { url: answer.url, expiresAt: answer.expiresAt }) : '');
            void search();
          },
          (err: unknown) => error.show(describeError(err)),
        );
      });
      return b;
    });
    return h(
      'tr',
      { 'data-user': u.username },
      h(
        'td',
        {},
        u.username,
        u.roles.includes('admin') ? ` ${t('admin.isAdmin')}` : '',
        h('div', { class: 'source' }, t(u.source === 'directory' ? 'admin.source.directory' : 'admin.source.local')),
        u.invisibleCharacters.length ? h('div', { class: 'warning' }, t('admin.invisibleCharacters', { chars: u.invisibleCharacters.join(', ') })) : '',
      ),
      h('td', {}, u.factors.length ? factorList(u.factors) : t('admin.none')),
      h(
        'td',
        {},
        [
          u.flaggedKeys ? t('admin.flaggedKeys', { n: u.flaggedKeys }) : '',
          ...u.revokedKeys.map((k) => t('admin.revokedKey', { name: k.model && k.model !== k.name ? `${k.name} (${k.model})` : k.name, status: k.status })),
        ]
          .filter(Boolean)
          .join('; '),
      ),
      h('td', {}, u.locked ? t('admin.locked') : ''),
      groupsCell(u, feedback),
      h('td', { class: 'actions' }, ...buttons),
    );
  };

  async function search() {
    try {
      const users = await withStepUp(host, () => api.adminUsers(query.value));
      results.replaceChildren(
        users.length
          ? h('table', { class: 'admin-users' }, h('caption', {}, t('admin.legend')), h('thead', {}, h('tr', {}, ...(['admin.col.user', 'admin.col.factors', 'admin.col.keys', 'admin.col.lock', 'admin.col.groups', 'admin.col.actions'] as const).map((x) => h('th', { scope: 'col' }, t(x))))), h('tbody', {}, ...users.map(row)))
          : h('p', {}, t('admin.noUsers')),
      );
    } catch (err) {
      error.show(describeError(err));
    }
  }

  const form = h('form', { role: 'search' }, h('div', { class: 'field' }, h('label', { for: 'admin-query' }, t('admin.find')), query), h('button', { type: 'submit' }, t('admin.search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // A new search starts clean: the last action's "done" belongs to the last list.
    status.textContent = '';
    error.clear();
    void search();
  });
  mount(h('h1', {}, t('admin.title')), form, host, status, error.el, resetLink, results, accessForms(feedback), h('p', {}, h('a', { href: '/', 'data-link': true }, t('common.backToAccount'))));
  await search();
}
