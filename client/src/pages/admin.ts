import { api, type AdminUser } from '../api.js';
import { errorBox, h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { withStepUp } from '../verify/withStepUp.js';
import { accessForms } from './adminAccess.js';
import { t } from '../i18n/i18n.js';
import { COLUMNS, userRows } from './adminUserRow.js';

/** People per page: the server pages (GET /api/admin/users?cursor=), so 10,000 people load as fast as 10. */
const PAGE_SIZE = 25;

/** The administration page: find people (one page at a time), see their factors and lock state, act. */
export async function adminPage(): Promise<void> {
  const session = await api.getSession();
  if (session.status !== 'authenticated' || !session.admin) return navigate('/', true);
  const error = errorBox();
  const host = h('div', {});
  const query = h('input', { id: 'admin-query', type: 'search', autocomplete: 'off' });
  const results = h('div', {});
  const range = h('p', { class: 'hint', role: 'status', 'aria-live': 'polite' });
  const previous = h('button', { type: 'button', class: 'secondary', 'data-page': 'previous' }, t('admin.previous'));
  const next = h('button', { type: 'button', class: 'secondary', 'data-page': 'next' }, t('admin.next'));
  const pager = h('nav', { class: 'pager', 'aria-label': t('admin.pages') }, previous, range, next);
  // The cursors of the pages before this one, to go back; the server gives only "next".
  let cursors: (string | null)[] = [null];
  let nextCursor: string | null = null;

  async function show(users: AdminUser[]) {
    const first = (cursors.length - 1) * PAGE_SIZE;
    results.replaceChildren(
      users.length
        ? h(
            'table',
            { class: 'admin-users' },
            h('caption', {}, t('admin.legend')),
            h('thead', {}, h('tr', {}, ...COLUMNS.map((x) => h('th', { scope: 'col' }, t(x))))),
            h('tbody', {}, ...users.flatMap((u) => userRows(u))),
          )
        : h('p', {}, t('admin.noUsers')),
    );
    range.textContent = users.length ? t('admin.range', { from: first + 1, to: first + users.length }) : '';
    previous.hidden = cursors.length === 1;
    next.hidden = nextCursor === null;
    pager.hidden = previous.hidden && next.hidden && !users.length;
  }

  async function load() {
    error.clear();
    try {
      const page = await withStepUp(host, () => api.adminUsers(query.value, cursors[cursors.length - 1] ?? null, PAGE_SIZE));
      nextCursor = page.next;
      await show(page.users);
    } catch (err) {
      error.show(describeError(err));
    }
  }

  next.addEventListener('click', () => {
    if (nextCursor === null) return;
    cursors.push(nextCursor);
    void load().then(() => results.scrollIntoView({ block: 'start' }));
  });
  previous.addEventListener('click', () => {
    if (cursors.length > 1) cursors.pop();
    void load().then(() => results.scrollIntoView({ block: 'start' }));
  });

  const form = h('form', { role: 'search' }, h('div', { class: 'field' }, h('label', { for: 'admin-query' }, t('admin.find')), query), h('button', { type: 'submit' }, t('admin.search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    cursors = [null];
    void load();
  });
  mount(h('h1', {}, t('admin.title')), form, host, error.el, results, pager, accessForms(), h('p', {}, h('a', { href: '/', 'data-link': true }, t('common.backToAccount'))));
  await load();
}
