import { h, mount } from '../dom.js';
import { formatDate, t } from '../i18n/i18n.js';
import { currentBrand } from '../brand.js';

/** Copies text, falling back to selecting it where the Clipboard API is unavailable. */
async function copy(text: string, fallback: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    getSelection()?.selectAllChildren(fallback);
    return false;
  }
}

/** A file-name-safe form of a site or account name. */
const slug = (s: string) => s.normalize('NFKD').replace(/[^\w@.+-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'account';

function download(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: some browsers start the download only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Shows a new set of recovery codes, the one time they are visible: as a page of its own,
 * or inside `into` (e.g. the settings page's recovery section). onSaved runs when the
 * person says they have kept them.
 */
export function showRecoveryCodes(codes: string[], onSaved: () => void, account: string, into?: HTMLElement): void {
  const site = currentBrand().name;
  const fileName = `${slug(site)}-recovery-codes-${slug(account)}.txt`;
  const text = [t('recovery.fileTitle', { site, account, date: formatDate(new Date()) }), t('recovery.fileEachOnce'), '', ...codes, ''].join('\n');
  const list = h('ol', { class: 'recovery-codes', 'aria-label': t('recovery.listLabel') }, ...codes.map((c) => h('li', {}, h('code', {}, c))));
  const status = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' });
  const copyButton = h('button', { type: 'button', class: 'secondary' }, t('recovery.copy'));
  const downloadButton = h('button', { type: 'button', class: 'secondary' }, t('recovery.download'));
  const saved = h('button', { type: 'button' }, t('recovery.saved'));
  copyButton.addEventListener('click', () => {
    void copy(text, list).then((ok) => (status.textContent = ok ? t('recovery.copiedAll') : t('common.selectedToCopy')));
  });
  downloadButton.addEventListener('click', () => {
    download(text, fileName);
    status.textContent = t('recovery.downloaded', { file: fileName });
  });
  saved.addEventListener('click', onSaved);

  const heading = into ? h('h2', { tabindex: '-1' }, t('recovery.saveTitle')) : h('h1', {}, t('recovery.saveTitle'));
  const body = [
    heading,
    h(
      'p',
      {},
      t('recovery.explain'),
    ),
    list,
    h('p', { class: 'actions' }, copyButton, downloadButton),
    status,
    saved,
  ];
  if (!into) return mount(...body);
  into.replaceChildren(h('div', { class: 'recovery-codes-panel' }, ...body));
  // The settings page moves focus to its heading once mounted; take it over after that.
  const focusWhenShown = (tries: number) => {
    if (heading.isConnected) {
      heading.focus();
      heading.scrollIntoView({ block: 'start' });
    } else if (tries > 0) requestAnimationFrame(() => focusWhenShown(tries - 1));
  };
  requestAnimationFrame(() => focusWhenShown(120));
}
