import { ApiError, api } from '../api.js';
import { busy, errorBox, field, h } from '../dom.js';
import { describeError } from '../messages.js';
import { withStepUp } from '../verify/withStepUp.js';
import type { SettingsSection } from './section.js';
import { t } from '../i18n/i18n.js';

export const passwordSection: SettingsSection = {
  id: 'password',
  async render(session, refresh) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'password-title', 'data-section': 'password' });
    if (session.status !== 'authenticated') return section;
    const current = field({ id: 'current-password', label: t('password.current'), type: 'password', autocomplete: 'current-password' });
    const next = field({ id: 'new-password', label: t('password.new'), type: 'password', autocomplete: 'new-password', minlength: 8, hint: t('password.hint') });
    const error = errorBox();
    const form = h('form', { novalidate: true }, current.wrap, next.wrap, h('button', { type: 'submit' }, t('password.submit')), error.el);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      const body = { currentPassword: current.input.value, newPassword: next.input.value };
      busy(form, t('password.busy'), () => withStepUp(section, () => api.changePassword(body))).then(
        // Drawn again (the sessions list shrank), the confirmation in this section, in view.
        () => refresh(t('password.changed')),
        (err: unknown) =>
          error.show(err instanceof ApiError && err.code === 'invalid_credentials' ? t('password.wrongCurrent') : describeError(err)),
      );
    });
    section.append(h('h2', { id: 'password-title' }, t('password.title')), form);
    return section;
  },
};
