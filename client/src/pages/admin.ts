import { api, type AdminUser } from '../api.js';
import { errorBox, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { withStepUp } from '../verify/withStepUp.js';
import { accessForms, groupsCell } from './adminAccess.js';

const ACTIONS = [
  ['reset-mfa', 'Reset second factors', 'Remove every second factor of this user and sign them out everywhere? They will set up a new one at their next sign-in.'],
  ['unlock', 'Unlock', 'Clear the failed-attempt back-off of this user?'],
  ['sessions/revoke', 'Sign out everywhere', 'End every session of this user?'],
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
  const feedback = { host, error, done: (message: string) => (status.textContent = message) };

  const row = (u: AdminUser) => {
    const buttons = ACTIONS.map(([action, label, question]) => {
      const b = h('button', { type: 'button', class: 'secondary' }, label);
      b.addEventListener('click', () => {
        if (!confirm(`${question}\n\n${u.username}`)) return;
        error.clear();
        withStepUp(host, () => api.adminAction(u.id, action)).then(
          () => {
            status.textContent = `${label}: done for ${u.username}.`;
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
      h('td', {}, u.username, u.roles.includes('admin') ? ' (admin)' : ''),
      h('td', {}, u.factors.length ? u.factors.join(', ') : 'none'),
      h(
        'td',
        {},
        [u.flaggedKeys ? `${u.flaggedKeys} flagged key(s)` : '', ...u.revokedKeys.map((k) => `${k.name}${k.model && k.model !== k.name ? ` (${k.model})` : ''}: model ${k.status}`)].filter(Boolean).join('; '),
      ),
      h('td', {}, u.locked ? 'locked' : ''),
      groupsCell(u, feedback),
      h('td', { class: 'actions' }, ...buttons),
    );
  };

  async function search() {
    try {
      const users = await withStepUp(host, () => api.adminUsers(query.value));
      results.replaceChildren(
        users.length
          ? h('table', { class: 'admin-users' }, h('thead', {}, h('tr', {}, ...['User', 'Factors', 'Keys', 'Lock', 'Groups', 'Actions'].map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, ...users.map(row)))
          : h('p', {}, 'No users found.'),
      );
    } catch (err) {
      error.show(describeError(err));
    }
  }

  const form = h('form', { role: 'search' }, h('div', { class: 'field' }, h('label', { for: 'admin-query' }, 'Find users by username'), query), h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void search();
  });
  mount(h('h1', {}, 'Administration'), form, host, status, error.el, results, accessForms(feedback), h('p', {}, h('a', { href: '/', 'data-link': true }, 'Back to your account')));
  await search();
}
