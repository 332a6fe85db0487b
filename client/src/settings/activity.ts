import { api } from '../api.js';
import { h } from '../dom.js';
import type { SettingsSection } from './section.js';
import { formatDateTime, t, type MessageKey } from '../i18n/i18n.js';
import { en } from '../i18n/en.js';

/** Words for an audit event type; the catalogue holds one key per type a person sees. */
function label(type: string): string {
  const key = `activity.${type}`;
  return key in en ? t(key as MessageKey) : t('activity.other', { type });
}

export const activitySection: SettingsSection = {
  id: 'activity',
  async render(session) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'activity-title' }, h('h2', { id: 'activity-title' }, t('activity.title')));
    if (session.status !== 'authenticated') return section;
    const { events } = await api.activity();
    const rows = events.map((e) =>
      h(
        'tr',
        { class: e.outcome === 'failure' ? 'failed' : undefined },
        h('td', {}, formatDateTime(e.at)),
        h('td', {}, e.outcome === 'failure' ? t('activity.failed', { what: label(e.type) }) : label(e.type)),
        h('td', {}, e.ip ?? ''),
      ),
    );
    section.append(
      rows.length
        ? h('table', { class: 'activity' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('activity.when')), h('th', { scope: 'col' }, t('activity.what')), h('th', { scope: 'col' }, t('activity.from')))), h('tbody', {}, ...rows))
        : h('p', {}, t('activity.none')),
    );
    return section;
  },
};
