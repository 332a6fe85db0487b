import { factorIcon } from '../icons.js';
import Bowser from 'bowser';
import { api, type SignedInSession } from '../api.js';
import { errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import type { SettingsSection } from './section.js';
import { formatDateTime, t } from '../i18n/i18n.js';

/** "Firefox on Linux": from the user agent, as well as it can be told. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return t('sessions.unknownDevice');
  const ua = Bowser.parse(userAgent);
  const browser = ua.browser.name;
  const os = [ua.os.name, ua.os.versionName].filter(Boolean).join(' ');
  if (browser && os) return t('sessions.device', { browser, os });
  return browser || os || t('sessions.unknownDevice');
}

function row(s: SignedInSession, refresh: (message?: string) => void, error: ReturnType<typeof errorBox>): HTMLElement {
  const lastSeen = formatDateTime(s.lastSeenAt);
  const item = h(
    'li',
    { 'data-session': s.id, 'data-current': s.current ? 'true' : undefined },
    h('strong', {}, describeDevice(s.userAgent)),
    s.current ? h('span', { class: 'badge' }, ` ${t('sessions.thisDevice')}`) : '',
    h('br'),
    h('span', { class: 'hint' }, t('sessions.lastSeen', { ip: s.ip ?? t('sessions.unknownAddress'), when: lastSeen })),
  );
  if (!s.current) {
    const end = h('button', { type: 'button', class: 'secondary', 'aria-label': t('sessions.signOutDevice', { device: describeDevice(s.userAgent) }) }, t('sessions.signOut'));
    end.addEventListener('click', () => {
      error.clear();
      api.endSession(s.id).then(() => refresh(t('sessions.signedOutOne')), (err: unknown) => error.show(describeError(err)));
    });
    // On a line of its own under the device, not floating after the "last seen" text.
    item.append(h('div', { class: 'actions' }, end));
  }
  return item;
}

export const sessionsSection: SettingsSection = {
  id: 'sessions',
  async render(session, refresh) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'sessions-title', 'data-section': 'sessions' });
    const title = h('h2', { id: 'sessions-title' }, factorIcon('sessions'), t('sessions.title'));
    if (session.status !== 'authenticated') return section;
    const { sessions } = await api.mySessions();
    const error = errorBox();
    // This device first, then the others by when they were last seen (the server's order).
    const ordered = [...sessions.filter((s) => s.current), ...sessions.filter((s) => !s.current)];
    const list = h('ul', { class: 'sessions' }, ...ordered.map((s) => row(s, refresh, error)));
    const others = sessions.filter((s) => !s.current).length;
    const everywhere = h('button', { type: 'button', class: 'secondary' }, t('sessions.everywhereElse'));
    everywhere.addEventListener('click', () => {
      error.clear();
      api.endOtherSessions().then(() => refresh(t('sessions.signedOutOthers')), (err: unknown) => error.show(describeError(err)));
    });
    section.append(title, list, others > 0 ? everywhere : h('p', { class: 'hint' }, t('sessions.nowhereElse')), error.el);
    return section;
  },
};
