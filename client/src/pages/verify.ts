import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { navigate } from '../router.js';
import { rememberReturnAddress } from '../returnAddress.js';
import { verifyPanel } from '../verify/verifyPanel.js';

/**
 * The second step: of sign-in (the password was right, now a key, a code or a recovery code),
 * or a step-up of a signed-in aal 1 session an application asked aal 2 of (single sign-on
 * sends people here with ?rd=, followed once verified, like the sign-in page).
 */
export async function verifyPage(): Promise<void> {
  rememberReturnAddress();
  const session = await api.getSession();
  const stepUp = session.status === 'authenticated' && session.aal < 2 && session.factors.length > 0;
  if (session.status !== 'mfa_required' && !stepUp) {
    navigate(session.status === 'anonymous' ? '/signin' : '/', true);
    return;
  }
  mount(
    h('h1', {}, 'Confirm it is you'),
    h('p', {}, stepUp ? `This application asks for your second factor, ${session.user?.username ?? ''}.` : `Signing in as ${session.user?.username ?? ''}.`),
    verifyPanel(session.factors, () => navigate('/', true)),
    h('p', {}, h('a', { href: '/signin', 'data-link': true }, 'Start over')),
  );
}
