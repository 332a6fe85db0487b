// One person in the admin list: a table row on a wide screen, a card on a phone (style.css
// turns the cells into labelled lines), with its own place for the answer to its buttons.
import { api, type AdminUser } from '../api.js';
import { h } from '../dom.js';
import { describeError } from '../messages.js';
import { withStepUp } from '../verify/withStepUp.js';
import { t } from '../i18n/i18n.js';
import { confirmDialog } from '../confirmDialog.js';
import { factorList } from '../factorNames.js';
import { groupsCell, linkBox } from './adminAccess.js';
import { feedbackArea } from './adminFeedback.js';

const ACTIONS = [
  ['reset-mfa', 'admin.resetMfa', 'admin.resetMfaQuestion'],
  ['unlock', 'admin.unlock', 'admin.unlockQuestion'],
  ['sessions/revoke', 'admin.revoke', 'admin.revokeQuestion'],
] as const;

export const COLUMNS = ['admin.col.user', 'admin.col.factors', 'admin.col.keys', 'admin.col.lock', 'admin.col.groups', 'admin.col.actions'] as const;

/** An empty cell says so ("—", read as "none"), rather than looking like a missing value. */
const orNone = (text: string) => text || h('span', { title: t('admin.none') }, h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'visually-hidden' }, t('admin.none')));

const cell = (column: (typeof COLUMNS)[number], attrs: Record<string, string>, ...children: (Node | string)[]) => h('td', { 'data-label': t(column), ...attrs }, ...children);

/** The user's row and, beneath it, a full-width row for what their buttons answer. */
export function userRows(u: AdminUser): HTMLTableRowElement[] {
  const feedback = feedbackArea();
  const factors = cell('admin.col.factors', {}, u.factors.length ? factorList(u.factors) : t('admin.none'));
  const lock = cell('admin.col.lock', {}, orNone(u.locked ? t('admin.locked') : ''));
  const buttons = ACTIONS.map(([action, label, question]) => {
    const b = h('button', { type: 'button', class: 'secondary' }, t(label));
    b.addEventListener('click', async () => {
      if (!(await confirmDialog(t(question, { username: u.username }), t(label)))) return;
      feedback.error.clear();
      withStepUp(feedback.host, () => api.adminAction(u.id, action)).then(
        (answer) => {
          feedback.done(t('admin.done', { action: t(label), username: u.username }));
          // A reset answers the only way back in: shown once, to hand over.
          feedback.link(answer?.url && answer.expiresAt ? linkBox(t('admin.resetLink', { username: u.username }), { url: answer.url, expiresAt: answer.expiresAt }) : null);
          // The row says what is true now, without reloading the list (and losing this answer).
          if (action === 'unlock') lock.replaceChildren(orNone(''));
          if (action === 'reset-mfa') factors.replaceChildren(t('admin.none'));
        },
        (err: unknown) => feedback.error.show(describeError(err)),
      );
    });
    return b;
  });
  const keys = [
    u.flaggedKeys ? t('admin.flaggedKeys', { n: u.flaggedKeys }) : '',
    ...u.revokedKeys.map((k) => t('admin.revokedKey', { name: k.model && k.model !== k.name ? `${k.name} (${k.model})` : k.name, status: k.status })),
  ]
    .filter(Boolean)
    .join('; ');
  const row = h(
    'tr',
    { 'data-user': u.username },
    cell(
      'admin.col.user',
      { class: 'user' },
      h('span', { class: 'username', title: u.username }, u.username),
      u.roles.includes('admin') ? ` ${t('admin.isAdmin')}` : '',
      h('div', { class: 'source' }, t(u.source === 'directory' ? 'admin.source.directory' : 'admin.source.local')),
      // Before a reset or a removal, the administrator sees who has no password to fall back on.
      u.password === 'none' || u.password === 'reset' ? h('div', { class: 'source' }, t(`admin.password.${u.password}`)) : '',
      u.invisibleCharacters.length ? h('div', { class: 'warning' }, t('admin.invisibleCharacters', { chars: u.invisibleCharacters.join(', ') })) : '',
    ),
    factors,
    cell('admin.col.keys', {}, orNone(keys)),
    lock,
    cell('admin.col.groups', {}, groupsCell(u, feedback)),
    cell('admin.col.actions', { class: 'actions' }, ...buttons),
  );
  const answers = h('tr', { class: 'answers', 'data-answers-for': u.username }, h('td', { colspan: String(COLUMNS.length) }, feedback.el));
  return [row, answers];
}
