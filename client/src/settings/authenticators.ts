import { api, type TotpAuthenticator, type TotpEnrollment } from '../api.js';
import { errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import { showRecoveryCodes } from '../pages/recoveryCodes.js';
import { withStepUp } from '../verify/withStepUp.js';
import type { SettingsSection } from './section.js';
import { formatDateTime, t } from '../i18n/i18n.js';
import { confirmDialog } from '../confirmDialog.js';
import { inlineRename } from '../inlineRename.js';
import { factorIcon } from '../icons.js';

type ErrorBox = ReturnType<typeof errorBox>;
const date = (iso: string) => formatDateTime(iso);

/** The server's QR code as an image: never parsed into the page as markup. */
function qrImage(svg: string): HTMLImageElement {
  const bytes = new TextEncoder().encode(svg);
  const base64 = btoa(String.fromCharCode(...bytes));
  return h('img', { src: `data:image/svg+xml;base64,${base64}`, alt: t('totp.qrAlt'), width: '200', height: '200', class: 'qr' });
}

function authenticatorRow(a: TotpAuthenticator, section: HTMLElement, error: ErrorBox, refresh: (message?: string) => void): HTMLElement {
  const rename = h('button', { type: 'button', class: 'secondary' }, t('common.rename'));
  const remove = h('button', { type: 'button', class: 'secondary' }, t('common.remove'));
  rename.addEventListener('click', () => {
    error.clear();
    inlineRename(rename, a.name, (name) => api.renameTotp(a.id, name).then(() => refresh(t('common.renamed', { name })), (err: unknown) => error.show(describeError(err))));
  });
  remove.addEventListener('click', () => {
    error.clear();
    void confirmDialog(t('totp.confirmRemove', { name: a.name }), t('common.remove')).then((yes) => {
      if (yes) withStepUp(section, () => api.removeTotp(a.id)).then(() => refresh(t('common.removed', { name: a.name })), (err: unknown) => error.show(describeError(err)));
    });
  });
  return h(
    'li',
    { class: 'authenticator', 'data-authenticator': a.id },
    factorIcon('totp'),
    h('strong', {}, a.name),
    h('span', { class: 'hint' }, ` · ${(a.lastUsedAt ? t('common.addedLastUsed', { added: date(a.createdAt), lastUsed: date(a.lastUsedAt) }) : t('common.addedNeverUsed', { added: date(a.createdAt) }))}`),
    h('span', { class: 'actions' }, rename, remove),
  );
}

/** Scan or type the secret, then prove it with a code: the app is added only then. */
function setUpPanel(e: TotpEnrollment, account: string, refresh: () => void, cancel: () => void): HTMLElement {
  const grouped = e.secret.match(/.{1,4}/g)?.join(' ') ?? e.secret;
  const secret = h('code', { class: 'totp-secret', 'data-secret': e.secret }, grouped);
  const copied = h('span', { class: 'progress', role: 'status', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'secondary' }, t('totp.copyKey'));
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(e.secret).then(
      () => (copied.textContent = t('common.copied')),
      () => {
        getSelection()?.selectAllChildren(secret);
        copied.textContent = t('common.selectedToCopy');
      },
    );
  });
  const code = h('input', { id: 'totp-confirm-code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: '9', required: true });
  const error = errorBox();
  const confirmButton = h('button', { type: 'submit' }, t('totp.confirm'));
  const cancelButton = h('button', { type: 'button', class: 'secondary' }, t('common.cancel'));
  cancelButton.addEventListener('click', cancel);
  const form = h(
    'form',
    { class: 'totp-setup', novalidate: true },
    h('h3', {}, t('totp.setupTitle')),
    h('p', {}, t('totp.scan')),
    qrImage(e.qrSvg),
    // On the phone that will hold the codes, a QR code cannot be scanned: the link opens the app.
    h('p', {}, h('a', { href: e.otpauthUri, class: 'otpauth-link' }, t('totp.openInApp'))),
    h('p', {}, t('totp.byHand')),
    // The key on a line of its own, the Copy button under it (not wrapped into its second line).
    h('div', { class: 'secret-row' }, secret, h('div', { class: 'actions' }, copy, copied)),
    h('div', { class: 'field' }, h('label', { for: 'totp-confirm-code' }, t('totp.codeLabel')), code),
    error.el,
    h('p', { class: 'actions' }, confirmButton, cancelButton),
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    error.clear();
    const value = code.value.replace(/\s/g, '');
    if (!/^\d{6,8}$/.test(value)) return error.show(t('totp.format'));
    confirmButton.disabled = true;
    api
      .confirmTotp(e.id, value)
      .then((res) => (res.recoveryCodes ? showRecoveryCodes(res.recoveryCodes, refresh, account) : refresh()))
      .catch((err: unknown) => {
        error.show(describeError(err));
        code.value = '';
        code.focus();
      })
      .finally(() => (confirmButton.disabled = false));
  });
  return form;
}

export const authenticatorsSection: SettingsSection = {
  id: 'authenticators',
  async render(session, refresh) {
    const error = errorBox();
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'authenticators-title', 'data-section': 'authenticators' });
    const list = session.status === 'authenticated' ? await api.listTotp() : [];
    const none = h('p', { 'data-none': true }, t('totp.none'));
    const name = h('input', { id: 'totp-name', maxlength: '64', placeholder: t('totp.namePlaceholder'), autocomplete: 'off' });
    const add = h('button', { type: 'button' }, t('totp.add'));
    const addForm = h('div', { class: 'field' }, h('label', { for: 'totp-name' }, t('totp.nameLabel')), name, add);
    add.addEventListener('click', () => {
      error.clear();
      add.disabled = true;
      api
        // The server would name it in English: an empty field gets the page's own wording.
        .startTotp({ name: name.value.trim() || t('totp.defaultName', { n: list.length + 1 }) })
        .then((e) => {
          const panel = setUpPanel(e, session.user?.username ?? '', refresh, () => {
            panel.replaceWith(addForm);
            none.hidden = false;
          });
          addForm.replaceWith(panel);
          // "No authenticator apps yet" is not true any more once one is being set up.
          none.hidden = true;
          panel.querySelector('input')?.focus();
        })
        .catch((err: unknown) => error.show(describeError(err)))
        .finally(() => (add.disabled = false));
    });

    section.append(
      h('h2', { id: 'authenticators-title' }, factorIcon('totp'), t('totp.title')),
      list.length ? h('ul', { class: 'authenticators' }, ...list.map((a) => authenticatorRow(a, section, error, refresh))) : none,
      addForm,
      error.el,
    );
    return section;
  },
};
