import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { navigate } from '../router.js';
import { settingsSections } from '../settings/sections.js';
import { t } from '../i18n/i18n.js';
import { showAfterChange, type AfterChange } from '../settings/keepPlace.js';

/** Security settings; also where a new account sets up its first second factor. */
export async function settingsPage(after?: AfterChange): Promise<void> {
  const session = await api.getSession();
  if (session.status === 'anonymous') return navigate('/signin', true);
  if (session.status === 'mfa_required') return navigate('/verify', true);
  const blocks = await Promise.all(settingsSections.map((s) => s.render(session, (message) => void settingsPage(message ? { section: s.id, message } : undefined))));
  mount(
    h('h1', {}, t('settings.title')),
    session.status === 'enroll_required'
      ? h('p', { class: 'notice', 'data-status': session.status }, t(session.enrolReason === 'mfa_reset' ? 'settings.enrolAfterReset' : 'settings.enrolFirst'))
      : '',
    ...blocks,
    h('p', {}, h('a', { href: '/', 'data-link': true }, t('common.backToAccount'))),
  );
  if (after) showAfterChange(document, after);
}
