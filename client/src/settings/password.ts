import { ApiError, api } from '../api.js';
import { busy, errorBox, field, h } from '../dom.js';
import { describeError } from '../messages.js';
import { withStepUp } from '../verify/withStepUp.js';
import type { SettingsSection } from './section.js';

// The page is drawn again after a change (the sessions list shrank): the confirmation survives it.
let justChanged = false;

export const passwordSection: SettingsSection = {
  id: 'password',
  async render(session, refresh) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'password-title', 'data-section': 'password' });
    if (session.status !== 'authenticated') return section;
    const current = field({ id: 'current-password', label: 'Current password', type: 'password', autocomplete: 'current-password' });
    const next = field({ id: 'new-password', label: 'New password', type: 'password', autocomplete: 'new-password', minlength: 8, hint: 'Your other sessions will be signed out.' });
    const error = errorBox();
    const done = h('p', { class: 'notice', role: 'status', hidden: !justChanged }, 'Password changed. You are signed out everywhere else.');
    justChanged = false;
    const form = h('form', { novalidate: true }, current.wrap, next.wrap, h('button', { type: 'submit' }, 'Change password'), error.el);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      const body = { currentPassword: current.input.value, newPassword: next.input.value };
      busy(form, 'Changing…', () => withStepUp(section, () => api.changePassword(body))).then(
        () => {
          justChanged = true;
          refresh();
        },
        (err: unknown) =>
          error.show(err instanceof ApiError && err.code === 'invalid_credentials' ? 'That is not your current password.' : describeError(err)),
      );
    });
    section.append(h('h2', { id: 'password-title' }, 'Change password'), form, done);
    return section;
  },
};
