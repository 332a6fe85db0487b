import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { navigate } from '../router.js';
import { verifyPanel } from '../verify/verifyPanel.js';
import { t } from '../i18n/i18n.js';
import { markSignInPending, signInTimedOutPage, wasSignInPending } from './deadEnds.js';

/** The second step of sign-in: the password was right, now a key, a code or a recovery code. */
export async function verifyPage(): Promise<void> {
  const session = await api.getSession();
  if (session.status === 'anonymous' && wasSignInPending()) return signInTimedOutPage();
  if (session.status !== 'mfa_required') {
    navigate(session.status === 'anonymous' ? '/signin' : '/', true);
    return;
  }
  mount(
    h('h1', {}, t('verify.title')),
    h('p', {}, t('verify.signingInAs', { username: session.user?.username ?? '' })),
    verifyPanel(session.factors, () => {
      markSignInPending(false);
      navigate('/', true);
    }),
    h('p', { 'data-start-over': true }, h('a', { href: '/signin', 'data-link': true }, t('verify.startOver'))),
  );
}
