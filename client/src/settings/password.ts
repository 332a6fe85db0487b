import { factorIcon } from '../icons.js';
import { ApiError, api, type Passwords, type SessionInfo } from '../api.js';
import { busy, errorBox, field, h } from '../dom.js';
import { describeError } from '../messages.js';
import { withStepUp } from '../verify/withStepUp.js';
import type { SettingsSection } from './section.js';
import { t } from '../i18n/i18n.js';
import { webauthnSupported } from '../webauthn/ceremonies.js';
import { confirmWithPasskey } from '../webauthn/passkeys.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import { confirmDialog } from '../confirmDialog.js';

/** Removing the password: the server asks for a passkey step-up (not any second factor), once. */
async function withPasskeyStepUp(action: () => Promise<void>): Promise<void> {
  try {
    return await action();
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 'step_up_required' && err.details?.['passkey'])) throw err;
    await confirmWithPasskey();
    return action();
  }
}

/** The password form: change it (current + new), or set a first one on a passkey-only account. */
function passwordForm(section: HTMLElement, hasPassword: boolean, refresh: (message?: string) => void): HTMLFormElement {
  const current = field({ id: 'current-password', label: t('password.current'), type: 'password', autocomplete: 'current-password' });
  const next = field({ id: 'new-password', label: t('password.new'), type: 'password', autocomplete: 'new-password', minlength: 8, hint: t(hasPassword ? 'password.hint' : 'password.setHint') });
  const error = errorBox();
  const form = h('form', { novalidate: true }, hasPassword ? current.wrap : null, next.wrap, h('button', { type: 'submit' }, t(hasPassword ? 'password.submit' : 'password.set')), error.el);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.clear();
    const body = hasPassword ? { currentPassword: current.input.value, newPassword: next.input.value } : { newPassword: next.input.value };
    busy(form, t('password.busy'), () => withStepUp(section, () => api.changePassword(body))).then(
      // Drawn again (the sessions list shrank), the confirmation in this section, in view.
      () => refresh(t(hasPassword ? 'password.changed' : 'password.setDone')),
      (err: unknown) => error.show(err instanceof ApiError && err.code === 'invalid_credentials' ? t('password.wrongCurrent') : describeError(err)),
    );
  });
  return form;
}

function removeButton(refresh: (message?: string) => void): HTMLElement {
  const error = errorBox();
  const button = h('button', { type: 'button', class: 'secondary', 'data-remove-password': true }, t('password.remove'));
  button.addEventListener('click', () => {
    error.clear();
    void confirmDialog(t('password.removeConfirm'), t('password.remove')).then(async (yes) => {
      if (!yes) return;
      try {
        await withPasskeyStepUp(() => api.removePassword());
        refresh(t('password.removed'));
      } catch (err) {
        error.show(err instanceof ApiError && err.code === 'step_up_required' ? t('password.needsPasskey') : describeWebAuthnError(err, 'verify'));
      }
    });
  });
  return h('div', { class: 'passkey' }, h('p', {}, t('password.removeIntro')), button, error.el);
}

async function render(session: SessionInfo, refresh: (message?: string) => void, passwords: Passwords): Promise<HTMLElement> {
  const section = h('section', { class: 'settings-block', 'aria-labelledby': 'password-title', 'data-section': 'password' });
  if (session.status !== 'authenticated') return section;
  const hasPassword = session.password !== false;
  section.append(h('h2', { id: 'password-title' }, factorIcon('password'), t(hasPassword ? 'password.title' : 'password.titleNone')));
  if (hasPassword) {
    section.append(passwordForm(section, true, refresh));
    if (passwords !== 'required' && webauthnSupported()) section.append(removeButton(refresh));
    return section;
  }
  section.append(h('p', {}, t('password.none')));
  // One passkey is one thing to lose: the recovery codes still work, but a second key is easier.
  const keys = await api.listCredentials().catch(() => []);
  if (keys.length < 2) section.append(h('p', { class: 'notice', 'data-nudge': 'second-key' }, t('password.nudge')));
  if (passwords !== 'off') section.append(passwordForm(section, false, refresh));
  return section;
}

export const passwordSection: SettingsSection = {
  id: 'password',
  async render(session, refresh) {
    const { passwords } = await api.signupMode().catch(() => ({ passwords: 'optional' as const }));
    return render(session, refresh, passwords);
  },
};
