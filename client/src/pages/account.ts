import { api, type SessionInfo } from '../api.js';
import { h, mount, errorBox } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { noticesPanel } from '../noticesPanel.js';
import { followReturnAddress } from '../returnAddress.js';

const STATUS_TEXT: Record<SessionInfo['status'], string> = {
  anonymous: 'Not signed in',
  mfa_required: 'Password accepted; a second factor is needed',
  enroll_required: 'Signed in with your password; set up a second factor to finish',
  authenticated: 'Signed in',
};

function row(label: string, value: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}

export async function accountPage(): Promise<void> {
  let session: SessionInfo;
  try {
    session = await api.getSession();
  } catch (err) {
    const error = errorBox();
    error.show(describeError(err));
    mount(h('h1', {}, 'Keyward'), error.el);
    return;
  }
  if (session.status === 'anonymous' || !session.user) {
    navigate('/signin', true);
    return;
  }
  if (session.status === 'mfa_required') {
    navigate('/verify', true);
    return;
  }
  if (session.status === 'authenticated' && (await followReturnAddress())) return;
  const user = session.user;
  const error = errorBox();
  const signOut = h('button', { type: 'button', class: 'secondary' }, 'Sign out');
  signOut.addEventListener('click', () => {
    api
      .signOut()
      .then(() => navigate('/signin', true))
      .catch((err: unknown) => error.show(describeError(err)));
  });

  const when = session.authenticatedAt ? new Date(session.authenticatedAt).toLocaleString() : '–';
  // Notices wait for a full sign-in (a pending or enrolling session cannot read them).
  const notices = session.status === 'authenticated' ? await api.notices().catch(() => []) : [];
  mount(
    h('h1', {}, `Hello, ${user.displayName}`),
    noticesPanel(notices),
    h('p', { class: `status status-${session.status}`, 'data-status': session.status }, STATUS_TEXT[session.status]),
    h(
      'dl',
      { class: 'facts' },
      ...row('Username', user.username),
      ...row('Assurance level', `AAL ${session.aal}`),
      ...row('Second factors', session.factors.length ? session.factors.join(', ') : 'none yet'),
      ...row('Signed in at', when),
    ),
    h('p', {}, h('a', { href: '/settings', 'data-link': true }, 'Security settings')),
    session.admin ? h('p', {}, h('a', { href: '/admin', 'data-link': true }, 'Administration')) : null,
    error.el,
    signOut,
  );
}
