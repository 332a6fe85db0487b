import { api } from '../api.js';
import { busy, errorBox, field, h } from '../dom.js';
import { describeError } from '../messages.js';
import { withStepUp } from '../verify/withStepUp.js';
import type { SettingsSection } from './section.js';

/** Where security notices are mailed: an address the person proves is theirs by a link. */
export const noticeEmailSection: SettingsSection = {
  id: 'notice-email',
  async render(session, refresh) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'notice-email-title', 'data-section': 'notice-email' });
    const title = h('h2', { id: 'notice-email-title' }, 'E-mail for security notices');
    if (session.status !== 'authenticated') return section;
    const current = await api.noticeAddress();
    if (!current.available) {
      section.append(title, h('p', {}, 'This server does not send e-mail: your security notices appear here and on your account page.'));
      return section;
    }
    const error = errorBox();
    const status =
      current.address === null
        ? h('p', { 'data-address-status': 'none' }, 'No address yet. Add one to hear about changes to your account even when you are not signed in.')
        : current.confirmed
          ? h('p', { 'data-address-status': 'confirmed' }, 'Notices go to ', h('strong', {}, current.address), ' (confirmed).')
          : h('p', { 'data-address-status': 'pending', role: 'status' }, 'We sent a link to ', h('strong', {}, current.address), '. Open it to confirm the address; until then no notice is mailed there.');

    const email = field({ id: 'notice-email', label: current.address ? 'New address' : 'E-mail address', type: 'email', autocomplete: 'email' });
    const form = h('form', { novalidate: true }, email.wrap, h('button', { type: 'submit' }, 'Send confirmation link'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      busy(form, 'Sending…', () => withStepUp(section, () => api.setNoticeAddress(email.input.value.trim()))).then(refresh, (err: unknown) => error.show(describeError(err)));
    });

    const remove = current.address ? h('button', { type: 'button', class: 'secondary' }, 'Remove address') : null;
    remove?.addEventListener('click', () => {
      error.clear();
      withStepUp(section, () => api.removeNoticeAddress()).then(refresh, (err: unknown) => error.show(describeError(err)));
    });
    section.append(title, status, form, remove ?? '', error.el);
    return section;
  },
};
