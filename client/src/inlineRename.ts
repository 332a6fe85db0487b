import { h } from './dom.js';
import { t } from './i18n/i18n.js';

const MAX = 64;

/**
 * Turns a Rename button into an inline editor: Enter or Save sends, Escape or Cancel puts
 * the button back. A name the server would refuse is explained here, in plain words.
 */
export function inlineRename(button: HTMLButtonElement, current: string, save: (name: string) => Promise<void>, showError: (message: string) => void): void {
  const input = h('input', { 'aria-label': t('common.newNameFor', { name: current }), value: current, maxlength: String(MAX) });
  const ok = h('button', { type: 'submit' }, t('common.save'));
  const cancel = h('button', { type: 'button', class: 'secondary' }, t('common.cancel'));
  const form = h('form', { class: 'rename', novalidate: true }, input, ok, cancel);
  const close = () => {
    form.replaceWith(button);
    button.focus();
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name || name.length > MAX) {
      showError(t('rename.invalid', { max: MAX }));
      input.focus();
      return;
    }
    ok.disabled = true;
    save(name).finally(() => (ok.disabled = false));
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });
  cancel.addEventListener('click', close);
  button.replaceWith(form);
  input.select();
}
