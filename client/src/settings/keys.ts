import { api, type Credential } from '../api.js';
import { errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import { registerSecurityKey, signalAcceptedCredentials, signalCurrentUserDetails, webauthnSupported } from '../webauthn/ceremonies.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import { withStepUp } from '../verify/withStepUp.js';
import { showRecoveryCodes } from '../pages/recoveryCodes.js';
import type { SettingsSection } from './section.js';
import { formatDateTime, t } from '../i18n/i18n.js';
import { confirmDialog } from '../confirmDialog.js';
import { inlineRename } from '../inlineRename.js';
import { factorIcon } from '../icons.js';

const date = (iso: string) => formatDateTime(iso);

function keyRow(c: Credential, section: HTMLElement, error: ReturnType<typeof errorBox>, refresh: (message?: string) => void): HTMLElement {
  const rename = h('button', { type: 'button', class: 'secondary' }, t('common.rename'));
  const remove = h('button', { type: 'button', class: 'secondary' }, t('common.remove'));
  const row = h(
    'li',
    { class: 'key', 'data-credential': c.id },
    factorIcon(c.deviceType === 'multiDevice' ? 'passkey' : 'webauthn'),
    h('strong', { class: 'key-name' }, c.name),
    h(
      'span',
      { class: 'key-model' },
      ' · ',
      // The blob's icon, next to the model's name: image data: URLs only (server/mds/authenticatorModels.ts),
      // which the CSP's img-src allows already; decorative, the name says the same.
      c.modelIcon ? h('img', { class: 'key-icon', src: c.modelIcon, alt: '', width: '20', height: '20' }) : null,
      `${c.model && c.model !== c.name ? `${c.model}, ` : ''}${c.deviceType === 'multiDevice' ? t('keys.passkeySynced') : t('keys.securityKey')}`,
    ),
    h('span', { class: 'hint' }, ` · ${(c.lastUsedAt ? t('common.addedLastUsed', { added: date(c.createdAt), lastUsed: date(c.lastUsedAt) }) : t('common.addedNeverUsed', { added: date(c.createdAt) }))}`),
    c.modelRevokedBy ? h('p', { class: 'error' }, t('keys.modelRevoked', { status: c.modelRevokedBy })) : null,
    c.flagged ? h('p', { class: 'error' }, t('keys.flagged')) : null,
    h('span', { class: 'actions' }, rename, remove),
  );
  rename.addEventListener('click', () => {
    error.clear();
    inlineRename(rename, c.name, (name) => api.renameCredential(c.id, name).then(() => refresh(t('common.renamed', { name })), (err: unknown) => error.show(describeError(err))));
  });
  remove.addEventListener('click', () => {
    error.clear();
    void confirmDialog(t('keys.confirmRemove', { name: c.name }), t('common.remove')).then((yes) => {
      if (yes) withStepUp(section, () => api.removeCredential(c.id)).then(() => refresh(t('common.removed', { name: c.name })), (err: unknown) => error.show(describeError(err)));
    });
  });
  return row;
}

export const keysSection: SettingsSection = {
  id: 'keys',
  async render(session, refresh) {
    const error = errorBox();
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'keys-title', 'data-section': 'keys' });
    const canList = session.status === 'authenticated';
    const keys = canList ? await api.listCredentials() : [];
    if (canList && session.user) {
      void signalAcceptedCredentials(session.user.id, keys.map((k) => k.id));
      void signalCurrentUserDetails(session.user);
    }

    const status = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' });
    const name = h('input', { id: 'key-name', maxlength: '64', placeholder: t('keys.namePlaceholder'), autocomplete: 'off' });
    const add = h('button', { type: 'button' }, t('keys.add'));
    add.addEventListener('click', () => {
      error.clear();
      add.disabled = true;
      status.textContent = t('webauthn.touchNow');
      registerSecurityKey(name.value.trim() || undefined, (passkey) => t('keys.defaultName', { kind: passkey ? 'passkey' : 'key', n: keys.length + 1 }))
        .then((res) => {
          const added = t('keys.added', { name: res.credential.name });
          status.textContent = added;
          // The first second factor comes with recovery codes: shown now, the only time.
          if (res.recoveryCodes) showRecoveryCodes(res.recoveryCodes, () => refresh(added), session.user?.username ?? '');
          else refresh(added);
        })
        .catch((err: unknown) => {
          status.textContent = '';
          error.show(describeWebAuthnError(err, 'register'));
        })
        .finally(() => (add.disabled = false));
    });

    section.append(
      h('h2', { id: 'keys-title' }, factorIcon('webauthn'), t('keys.title')),
      keys.length ? h('ul', { class: 'keys' }, ...keys.map((k) => keyRow(k, section, error, refresh))) : h('p', {}, t('keys.none')),
      webauthnSupported()
        ? h('div', { class: 'field' }, h('label', { for: 'key-name' }, t('keys.nameLabel')), name, add)
        : h('p', {}, t('keys.unsupported')),
      status,
      error.el,
    );
    return section;
  },
};
