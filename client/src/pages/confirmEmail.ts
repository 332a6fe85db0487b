import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { describeError } from '../messages.js';

/** Where the link mailed to a new notice address lands: it posts the token back once. */
export async function confirmEmailPage(): Promise<void> {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  // The token is spent by this visit: keep it out of history and of any later Referer.
  history.replaceState(null, '', '/confirm-email');
  const back = h('p', {}, h('a', { href: '/settings', 'data-link': true }, 'Go to your security settings'));
  if (!token) {
    mount(h('h1', {}, 'Confirm your address'), h('p', { class: 'error', role: 'alert' }, 'This link is incomplete. Open the link from the e-mail again.'), back);
    return;
  }
  mount(h('h1', {}, 'Confirm your address'), h('p', { role: 'status' }, 'Confirming…'));
  try {
    const { address } = await api.confirmNoticeAddress(token);
    mount(h('h1', {}, 'Address confirmed'), h('p', { role: 'status', 'data-confirmed': address }, 'Security notices will be mailed to ', h('strong', {}, address), '.'), back);
  } catch (err) {
    mount(h('h1', {}, 'Confirm your address'), h('p', { class: 'error', role: 'alert' }, describeError(err)), back);
  }
}
