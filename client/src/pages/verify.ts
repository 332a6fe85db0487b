import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { navigate } from '../router.js';
import { verifyPanel } from '../verify/verifyPanel.js';

/** The second step of sign-in: the password was right, now a key, a code or a recovery code. */
export async function verifyPage(): Promise<void> {
  const session = await api.getSession();
  if (session.status !== 'mfa_required') {
    navigate(session.status === 'anonymous' ? '/signin' : '/', true);
    return;
  }
  mount(
    h('h1', {}, 'Confirm it is you'),
    h('p', {}, `Signing in as ${session.user?.username ?? ''}.`),
    verifyPanel(session.factors, () => navigate('/', true)),
    h('p', {}, h('a', { href: '/signin', 'data-link': true }, 'Start over')),
  );
}
