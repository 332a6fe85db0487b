import { api, type Credential } from '../api.js';
import { errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import { registerSecurityKey, signalAcceptedCredentials, signalCurrentUserDetails, webauthnSupported } from '../webauthn/ceremonies.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import { withStepUp } from '../verify/withStepUp.js';
import { showRecoveryCodes } from '../pages/recoveryCodes.js';
import type { SettingsSection } from './section.js';

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

function keyRow(c: Credential, section: HTMLElement, error: ReturnType<typeof errorBox>, refresh: () => void): HTMLElement {
  const rename = h('button', { type: 'button', class: 'secondary' }, 'Rename');
  const remove = h('button', { type: 'button', class: 'secondary' }, 'Remove');
  const row = h(
    'li',
    { class: 'key', 'data-credential': c.id },
    h('strong', { class: 'key-name' }, c.name),
    h(
      'span',
      { class: 'key-model' },
      ' · ',
      // The blob's icon, next to the model's name: image data: URLs only (server/mds/authenticatorModels.ts),
      // which the CSP's img-src allows already; decorative, the name says the same.
      c.modelIcon ? h('img', { class: 'key-icon', src: c.modelIcon, alt: '', width: '20', height: '20' }) : null,
      `${c.model && c.model !== c.name ? `${c.model}, ` : ''}${c.deviceType === 'multiDevice' ? 'Passkey (synced)' : 'Security key'}`,
    ),
    h('span', { class: 'hint' }, ` · added ${date(c.createdAt)} · last used ${date(c.lastUsedAt)}`),
    c.modelRevokedBy
      ? h('p', { class: 'error' }, `This key model was reported as no longer safe (${c.modelRevokedBy}). Add another key, then remove this one.`)
      : null,
    c.flagged ? h('p', { class: 'error' }, 'This key showed signs of being copied and was refused once. If you did not expect this, remove it.') : null,
    h('span', { class: 'actions' }, rename, remove),
  );
  rename.addEventListener('click', () => {
    const input = h('input', { 'aria-label': `New name for ${c.name}`, value: c.name, maxlength: '64' });
    const save = h('button', { type: 'button' }, 'Save');
    const form = h('span', { class: 'rename' }, input, save);
    rename.replaceWith(form);
    input.focus();
    save.addEventListener('click', () => {
      api.renameCredential(c.id, input.value).then(refresh, (err: unknown) => error.show(describeError(err)));
    });
  });
  remove.addEventListener('click', () => {
    if (!confirm(`Remove “${c.name}”? It will no longer sign you in.`)) return;
    withStepUp(section, () => api.removeCredential(c.id)).then(refresh, (err: unknown) => error.show(describeError(err)));
  });
  return row;
}

export const keysSection: SettingsSection = {
  id: 'keys',
  async render(session, refresh) {
    const error = errorBox();
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'keys-title' });
    const canList = session.status === 'authenticated';
    const keys = canList ? await api.listCredentials() : [];
    if (canList && session.user) {
      void signalAcceptedCredentials(session.user.id, keys.map((k) => k.id));
      void signalCurrentUserDetails(session.user);
    }

    const status = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' });
    const name = h('input', { id: 'key-name', maxlength: '64', placeholder: 'e.g. Blue YubiKey', autocomplete: 'off' });
    const add = h('button', { type: 'button' }, 'Add a security key');
    add.addEventListener('click', () => {
      error.clear();
      add.disabled = true;
      status.textContent = 'Insert your security key and touch it now…';
      registerSecurityKey(name.value.trim() || undefined)
        .then((res) => {
          status.textContent = `Added “${res.credential.name}”.`;
          // The first second factor comes with recovery codes: shown now, the only time.
          if (res.recoveryCodes) showRecoveryCodes(res.recoveryCodes, refresh);
          else refresh();
        })
        .catch((err: unknown) => {
          status.textContent = '';
          error.show(describeWebAuthnError(err));
        })
        .finally(() => (add.disabled = false));
    });

    section.append(
      h('h2', { id: 'keys-title' }, 'Security keys and passkeys'),
      keys.length ? h('ul', { class: 'keys' }, ...keys.map((k) => keyRow(k, section, error, refresh))) : h('p', {}, 'No security keys yet.'),
      webauthnSupported()
        ? h('div', { class: 'field' }, h('label', { for: 'key-name' }, 'Name for the new key (optional)'), name, add)
        : h('p', {}, 'This browser cannot use security keys. Use an authenticator app instead.'),
      status,
      error.el,
    );
    return section;
  },
};
