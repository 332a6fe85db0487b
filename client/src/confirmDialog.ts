import { h } from './dom.js';
import { t } from './i18n/i18n.js';

/**
 * Asks in the page (a modal <dialog>, not window.confirm): resolves true when the person
 * confirms, false on Cancel or Escape. Focus returns to where it was.
 */
export function confirmDialog(question: string, confirmLabel: string): Promise<boolean> {
  const before = document.activeElement as HTMLElement | null;
  const yes = h('button', { type: 'submit', value: 'yes', class: 'danger' }, confirmLabel);
  const no = h('button', { type: 'submit', value: 'no', class: 'secondary' }, t('common.cancel'));
  const dialog = h(
    'dialog',
    { class: 'confirm', 'aria-labelledby': 'confirm-question' },
    h('form', { method: 'dialog' }, h('p', { id: 'confirm-question' }, question), h('p', { class: 'actions' }, yes, no)),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      dialog.remove();
      before?.focus();
      resolve(dialog.returnValue === 'yes');
    });
    dialog.showModal();
    no.focus();
  });
}
