import Bowser from 'bowser';
import { api, type SignedInSession } from '../api.js';
import { errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import type { SettingsSection } from './section.js';

/** "Firefox on Linux": from the user agent, as well as it can be told. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return 'Unknown device';
  const ua = Bowser.parse(userAgent);
  const browser = ua.browser.name;
  const os = [ua.os.name, ua.os.versionName].filter(Boolean).join(' ');
  if (browser && os) return `${browser} on ${os}`;
  return browser || os || 'Unknown device';
}

function row(s: SignedInSession, refresh: () => void, error: ReturnType<typeof errorBox>): HTMLElement {
  const lastSeen = new Date(s.lastSeenAt).toLocaleString();
  const item = h(
    'li',
    { 'data-session': s.id, 'data-current': s.current ? 'true' : undefined },
    h('strong', {}, describeDevice(s.userAgent)),
    s.current ? h('span', { class: 'badge' }, ' This device') : '',
    h('br'),
    h('span', { class: 'hint' }, `${s.ip ?? 'unknown address'} · last seen ${lastSeen}`),
  );
  if (!s.current) {
    const end = h('button', { type: 'button', class: 'secondary', 'aria-label': `Sign out ${describeDevice(s.userAgent)}` }, 'Sign out');
    end.addEventListener('click', () => {
      error.clear();
      api.endSession(s.id).then(refresh, (err: unknown) => error.show(describeError(err)));
    });
    item.append(' ', end);
  }
  return item;
}

export const sessionsSection: SettingsSection = {
  id: 'sessions',
  async render(session, refresh) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'sessions-title', 'data-section': 'sessions' });
    const title = h('h2', { id: 'sessions-title' }, "Where you're signed in");
    if (session.status !== 'authenticated') return section;
    const { sessions } = await api.mySessions();
    const error = errorBox();
    const list = h('ul', { class: 'sessions' }, ...sessions.map((s) => row(s, refresh, error)));
    const others = sessions.filter((s) => !s.current).length;
    const everywhere = h('button', { type: 'button', class: 'secondary' }, 'Sign out everywhere else');
    everywhere.addEventListener('click', () => {
      error.clear();
      api.endOtherSessions().then(refresh, (err: unknown) => error.show(describeError(err)));
    });
    section.append(title, list, others > 0 ? everywhere : h('p', { class: 'hint' }, 'You are not signed in anywhere else.'), error.el);
    return section;
  },
};
