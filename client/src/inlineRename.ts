import { h } from './dom.js';
import { t } from './i18n/i18n.js';

const MAX = 64;
let editors = 0;

/**
 * Turns a Rename button into an inline editor: Enter or Save sends, Escape or Cancel puts
 * the button back. A name the server would refuse is explained here, in plain words, next
 * to the field (not under the section's Add button).
 */
export function inlineRename(button: HTMLButtonElement, current: string, save: (name: string) => Promise<void>): void {
  const errorId = `rename-error-${++editors}`;
  const input = h('input', { 'aria-label': t('common.newNameFor', { name: current }), value: current, maxlength: String(MAX), 'aria-describedby': errorId });
  const ok = h('button', { type: 'submit' }, t('common.save'));
  const cancel = h('button', { type: 'button', class: 'secondary' }, t('common.cancel'));
  const error = h('p', { id: errorId, class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'rename', novalidate: true }, input, ok, cancel, error);
  const close = () => {
    form.replaceWith(button);
    button.focus();
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = input.value.trim();
    error.hidden = true;
    if (!name || name.length > MAX) {
      error.textContent = t('rename.invalid', { max: MAX });
      error.hidden = false;
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
