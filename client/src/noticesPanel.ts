import { api, type Notice } from './api.js';
import { h } from './dom.js';

/** Unread security notices, shown at the top of the account page until dismissed. */
export function noticesPanel(notices: Notice[]): HTMLElement | null {
  if (notices.length === 0) return null;
  const dismiss = h('button', { type: 'button', class: 'secondary' }, 'Mark as read');
  const panel = h(
    'section',
    { class: 'notices', role: 'region', 'aria-labelledby': 'notices-title' },
    h('h2', { id: 'notices-title' }, 'Security notices'),
    h('ul', {}, ...notices.map((n) => h('li', { 'data-notice': n.type }, h('span', {}, n.message), h('span', { class: 'hint' }, ` · ${new Date(n.createdAt).toLocaleString()}`)))),
    dismiss,
  );
  dismiss.addEventListener('click', () => {
    api.markNoticesRead(notices.map((n) => n.id)).then(() => panel.remove(), () => undefined);
  });
  return panel;
}
