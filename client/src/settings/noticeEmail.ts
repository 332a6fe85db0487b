import { factorIcon } from '../icons.js';
import { api } from '../api.js';
import { busy, errorBox, field, h } from '../dom.js';
import { describeError } from '../messages.js';
import { withStepUp } from '../verify/withStepUp.js';
import type { SettingsSection } from './section.js';
import { t } from '../i18n/i18n.js';

/** Where security notices are mailed: an address the person proves is theirs by a link. */
export const noticeEmailSection: SettingsSection = {
  id: 'notice-email',
  async render(session, refresh) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'notice-email-title', 'data-section': 'notice-email' });
    const title = h('h2', { id: 'notice-email-title' }, factorIcon('email'), t('noticeEmail.title'));
    if (session.status !== 'authenticated') return section;
    const current = await api.noticeAddress();
    if (!current.available) {
      section.append(title, h('p', {}, t('noticeEmail.unavailable')));
      return section;
    }
    const error = errorBox();
    const status =
      current.address === null
        ? h('p', { 'data-address-status': 'none' }, t('noticeEmail.none'))
        : current.confirmed
          ? h('p', { 'data-address-status': 'confirmed' }, t('noticeEmail.confirmed', { address: current.address }))
          : h('p', { 'data-address-status': 'pending', role: 'status' }, t('noticeEmail.pending', { address: current.address }));

    const email = field({ id: 'notice-email', label: current.address ? t('noticeEmail.newAddress') : t('noticeEmail.address'), type: 'email', autocomplete: 'email' });
    const form = h('form', { novalidate: true }, email.wrap, h('button', { type: 'submit' }, t('noticeEmail.submit')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      busy(form, t('noticeEmail.busy'), () => withStepUp(section, () => api.setNoticeAddress(email.input.value.trim()))).then(
        (set) => refresh(t('noticeEmail.sent', { address: set.address ?? '' })),
        (err: unknown) => error.show(describeError(err)),
      );
    });

    const remove = current.address ? h('button', { type: 'button', class: 'secondary' }, t('noticeEmail.remove')) : null;
    remove?.addEventListener('click', () => {
      error.clear();
      withStepUp(section, () => api.removeNoticeAddress()).then(() => refresh(t('noticeEmail.removed')), (err: unknown) => error.show(describeError(err)));
    });
    // Remove belongs to the address it removes: under the line naming it, above the form for a new one.
    section.append(title, status, remove ? h('div', { class: 'actions address-actions' }, remove) : '', form, error.el);
    return section;
  },
};
