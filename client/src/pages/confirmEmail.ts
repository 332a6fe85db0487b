import { api, ApiError } from '../api.js';
import { h, mount } from '../dom.js';
import { describeError } from '../messages.js';
import { t } from '../i18n/i18n.js';

/** Where the link mailed to a new notice address lands: it posts the token back once. */
export async function confirmEmailPage(): Promise<void> {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  // The token is spent by this visit: keep it out of history and of any later Referer.
  history.replaceState(null, '', '/confirm-email');
  const back = h('p', {}, h('a', { href: '/settings', 'data-link': true }, t('confirmEmail.settingsLink')));
  if (!token) {
    mount(h('h1', {}, t('confirmEmail.title')), h('p', { class: 'error', role: 'alert' }, t('confirmEmail.incomplete')), back);
    return;
  }
  mount(h('h1', {}, t('confirmEmail.title')), h('p', { role: 'status' }, t('confirmEmail.busy')));
  try {
    const { address } = await api.confirmNoticeAddress(token);
    mount(h('h1', {}, t('confirmEmail.done')), h('p', { role: 'status', 'data-confirmed': address }, t('confirmEmail.mailedTo', { address })), back);
  } catch (err) {
    // A spent or expired token is the one way this request fails as invalid.
    const why = err instanceof ApiError && err.code === 'invalid_request' ? t('confirmEmail.spent') : describeError(err);
    mount(h('h1', {}, t('confirmEmail.title')), h('p', { class: 'error', role: 'alert' }, why), back);
  }
}
