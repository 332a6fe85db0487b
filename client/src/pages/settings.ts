import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { navigate } from '../router.js';
import { settingsSections } from '../settings/sections.js';

/** Security settings; also where a new account sets up its first second factor. */
export async function settingsPage(): Promise<void> {
  const session = await api.getSession();
  if (session.status === 'anonymous') return navigate('/signin', true);
  if (session.status === 'mfa_required') return navigate('/verify', true);
  const blocks = await Promise.all(settingsSections.map((s) => s.render(session, () => void settingsPage())));
  mount(
    h('h1', {}, 'Security settings'),
    session.status === 'enroll_required'
      ? h('p', { class: 'notice', 'data-status': session.status }, 'Add a security key or an authenticator app to finish setting up your account.')
      : '',
    ...blocks,
    h('p', {}, h('a', { href: '/', 'data-link': true }, 'Back to your account')),
  );
}
