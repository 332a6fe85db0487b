import { api } from '../api.js';
import { h } from '../dom.js';
import type { SettingsSection } from './section.js';

/** Words for the audit event types a person sees in their own activity. */
const LABEL: Record<string, string> = {
  'account.created': 'Account created',
  'signin.password': 'Password entered',
  'signin.webauthn': 'Security key used',
  'signin.passkey': 'Signed in with a passkey',
  'signin.totp': 'Authenticator code entered',
  'signin.recovery_code': 'Recovery code entered',
  'factor.added': 'Second factor added',
  'factor.removed': 'Second factor removed',
  'factor.renamed': 'Second factor renamed',
  'recovery_codes.issued': 'Recovery codes issued',
  'recovery_codes.regenerated': 'New recovery codes',
  'webauthn.counter_regressed': 'A security key looked copied',
  lockout: 'Sign-in paused after failed attempts',
  'session.signout': 'Signed out',
  'notice_address.requested': 'Address for notices set (waiting for confirmation)',
  'notice_address.confirmed': 'Address for notices confirmed',
  'notice_address.removed': 'Address for notices removed',
  'admin.reset_mfa': 'Second factors reset by an administrator',
  'admin.unlock': 'Unlocked by an administrator',
  'admin.revoke_sessions': 'Signed out everywhere by an administrator',
};

export const activitySection: SettingsSection = {
  id: 'activity',
  async render(session) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'activity-title' }, h('h2', { id: 'activity-title' }, 'Recent activity'));
    if (session.status !== 'authenticated') return section;
    const { events } = await api.activity();
    const rows = events.map((e) =>
      h(
        'tr',
        { class: e.outcome === 'failure' ? 'failed' : undefined },
        h('td', {}, new Date(e.at).toLocaleString()),
        h('td', {}, `${LABEL[e.type] ?? e.type}${e.outcome === 'failure' ? ' (failed)' : ''}`),
        h('td', {}, e.ip ?? ''),
      ),
    );
    section.append(
      rows.length
        ? h('table', { class: 'activity' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'From'))), h('tbody', {}, ...rows))
        : h('p', {}, 'Nothing yet.'),
    );
    return section;
  },
};
