import { factorIcon } from '../icons.js';
import { api, type ActivityEvent } from '../api.js';
import { h } from '../dom.js';
import { en } from '../i18n/en.js';
import { formatDateTime, t, type MessageKey } from '../i18n/i18n.js';
import type { SettingsSection } from './section.js';

/** The catalogue key for an event: a step-up told apart from a sign-in, a replaced set of codes from the first. */
function keyOf(e: ActivityEvent): string {
  if (e.replaced) return 'activity.recovery_codes.replaced';
  const stepUp = e.stepUp && e.type.startsWith('signin.') ? `activity.stepUp.${e.type.slice('signin.'.length)}` : null;
  return stepUp && stepUp in en ? stepUp : `activity.${e.type}`;
}

/** Words for an audit event, naming its factor. */
function label(e: ActivityEvent): string {
  const key = keyOf(e);
  const what = key in en ? t(key as MessageKey, { factor: e.factor ?? 'other' }) : t('activity.other', { type: e.type });
  return e.outcome === 'failure' ? t('activity.failed', { what }) : what;
}

const row = (e: ActivityEvent) =>
  h('tr', { class: e.outcome === 'failure' ? 'failed' : undefined, 'data-event': e.type }, h('td', {}, formatDateTime(e.at)), h('td', {}, label(e)), h('td', {}, e.ip ?? ''));

export const activitySection: SettingsSection = {
  id: 'activity',
  async render(session) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'activity-title', 'data-section': 'activity' });
    // Like the other sections a first factor must come before: nothing at all until then.
    if (session.status !== 'authenticated') return section;
    section.append(h('h2', { id: 'activity-title' }, factorIcon('activity'), t('activity.title')));
    const first = await api.activity();
    if (first.events.length === 0) {
      section.append(h('p', {}, t('activity.none')));
      return section;
    }
    const body = h('tbody', {}, ...first.events.map(row));
    const older = h('button', { type: 'button', class: 'secondary older' }, t('activity.older'));
    // The last event shown (time and id): the next page starts right after it.
    const cursorOf = (page: typeof first) => (page.next === null || page.nextId === null ? null : { before: page.next, beforeId: page.nextId });
    let next = cursorOf(first);
    older.hidden = next === null;
    older.addEventListener('click', () => {
      older.disabled = true;
      api
        .activity(next ?? undefined)
        .then((page) => {
          body.append(...page.events.map(row));
          next = cursorOf(page);
          older.hidden = next === null;
        }, () => undefined)
        .finally(() => (older.disabled = false));
    });
    section.append(
      // Scrolls sideways on a narrow screen: focusable, so a keyboard can scroll it too.
      h('div', { class: 'table-wrap', tabindex: '0' }, h('table', { class: 'activity' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('activity.when')), h('th', { scope: 'col' }, t('activity.what')), h('th', { scope: 'col' }, t('activity.from')))), body)),
      older,
    );
    return section;
  },
};
