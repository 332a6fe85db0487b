import { api, type SessionInfo } from '../api.js';
import { h, mount, errorBox } from '../dom.js';
import { describeError } from '../messages.js';
import { navigate } from '../router.js';
import { noticesPanel } from '../noticesPanel.js';
import { followReturnAddress } from '../returnAddress.js';
import { formatDateTime, t } from '../i18n/i18n.js';
import { factorList } from '../factorNames.js';
import { markSignedOut } from './deadEnds.js';


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
    mount(h('h1', {}, t('error.unknown')), error.el);
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
  // A password reset in progress goes on on its own page.
  if (session.status === 'reset_required' || session.status === 'reset_password') {
    navigate('/reset-password', true);
    return;
  }
  if (session.status === 'authenticated' && (await followReturnAddress())) return;
  const user = session.user;
  const error = errorBox();
  const signOut = h('button', { type: 'button', class: 'secondary' }, t('account.signOut'));
  signOut.addEventListener('click', () => {
    api
      .signOut()
      .then(() => {
        markSignedOut();
        navigate('/signin', true);
      })
      .catch((err: unknown) => error.show(describeError(err)));
  });

  const when = session.authenticatedAt ? formatDateTime(session.authenticatedAt) : '–';
  // Notices wait for a full sign-in (a pending or enrolling session cannot read them).
  const notices = session.status === 'authenticated' ? await api.notices().catch(() => []) : [];
  mount(
    h('h1', {}, t('account.title', { name: user.displayName })),
    noticesPanel(notices),
    h('p', { class: `status status-${session.status}`, 'data-status': session.status }, t(`account.status.${session.status}`)),
    h(
      'dl',
      { class: 'facts' },
      ...row(t('account.username'), user.username),
      ...row(t('account.factors'), session.factors.length ? factorList(session.factors) : t('account.noFactors')),
      ...row(t('account.signedInAt'), when),
    ),
    h('p', {}, h('a', { href: '/settings', 'data-link': true }, t('account.settingsLink'))),
    session.admin ? h('p', {}, h('a', { href: '/admin', 'data-link': true }, t('account.adminLink'))) : null,
    error.el,
    signOut,
  );
}
