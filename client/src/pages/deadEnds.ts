// The places a person could be stranded, each saying what happened and offering the way on.
import { h, mount } from '../dom.js';
import { t } from '../i18n/i18n.js';
import { navigate } from '../router.js';

const PENDING = 'keyward.pending';

/** Set when the password step passed, so a lapsed second step can be told from a stray visit. */
export const markSignInPending = (pending: boolean) => (pending ? sessionStorage.setItem(PENDING, '1') : sessionStorage.removeItem(PENDING));
export const wasSignInPending = () => sessionStorage.getItem(PENDING) === '1';

const SIGNED_OUT = 'keyward.signedOut';
/** The sign-in page confirms a sign-out once, after the person pressed Sign out. */
export const markSignedOut = () => sessionStorage.setItem(SIGNED_OUT, '1');
export function takeSignedOut(): boolean {
  const was = sessionStorage.getItem(SIGNED_OUT) === '1';
  sessionStorage.removeItem(SIGNED_OUT);
  return was;
}

function startAgainButton(): HTMLButtonElement {
  const button = h('button', { type: 'button' }, t('deadEnd.startAgain'));
  button.addEventListener('click', () => {
    markSignInPending(false);
    navigate('/signin');
  });
  return button;
}

/** Stays until the person starts again, so reopening /verify says the same. */
export function signInTimedOutPage(): void {
  mount(h('h1', {}, t('deadEnd.timedOutTitle')), h('p', { role: 'status', 'data-dead-end': 'timed-out' }, t('deadEnd.timedOut')), startAgainButton());
}

/** The session ended in another tab, on another device, or by an administrator. */
export function signedOutPage(): void {
  mount(
    h('h1', {}, t('deadEnd.endedTitle')),
    h('p', { role: 'status', 'data-dead-end': 'signed-out' }, t('deadEnd.ended')),
    h('p', {}, h('a', { href: '/signin', 'data-link': true }, t('common.signIn'))),
  );
}

export function notFoundPage(): void {
  mount(
    h('h1', {}, t('deadEnd.notFoundTitle')),
    h('p', { 'data-dead-end': 'not-found' }, t('deadEnd.notFound')),
    h('p', {}, h('a', { href: '/', 'data-link': true }, t('common.backToAccount'))),
  );
}
