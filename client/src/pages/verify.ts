import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { navigate } from '../router.js';
import { rememberReturnAddress } from '../returnAddress.js';
import { verifyPanel } from '../verify/verifyPanel.js';
import { t } from '../i18n/i18n.js';
import { markSignInPending, signInTimedOutPage, wasSignInPending } from './deadEnds.js';

/**
 * The second step: of sign-in (the password was right, now a key, a code or a recovery code),
 * or a step-up of a signed-in aal 1 session an application asked aal 2 of (single sign-on
 * sends people here with ?rd=, followed once verified, like the sign-in page). With ?again=1
 * a signed-in person at any level verifies again: an application asked them to sign in anew
 * (prompt=login, max_age) or for a stronger key (aal3), inside the session they have.
 */
export async function verifyPage(): Promise<void> {
  rememberReturnAddress();
  const session = await api.getSession();
  const again = new URLSearchParams(location.search).has('again');
  const stepUp = session.status === 'authenticated' && (session.aal < 2 || again) && session.factors.length > 0;
  if (session.status === 'anonymous' && wasSignInPending()) return signInTimedOutPage();
  if (session.status !== 'mfa_required' && !stepUp) {
    navigate(session.status === 'anonymous' ? '/signin' : '/', true);
    return;
  }
  mount(
    h('h1', {}, t('verify.title')),
    h('p', {}, stepUp ? t('verify.stepUpAsks', { username: session.user?.username ?? '' }) : t('verify.signingInAs', { username: session.user?.username ?? '' })),
    verifyPanel(
      session.factors,
      () => {
        markSignInPending(false);
        navigate('/', true);
      },
      // Only now, past the password, are this account's methods known: a key prompt starts by
      // itself when this browser used a key last time and the account offers one.
      { startRemembered: true },
    ),
    h('p', { 'data-start-over': true }, h('a', { href: '/signin', 'data-link': true }, t('verify.startOver'))),
  );
}
