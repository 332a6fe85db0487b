import type { Factor } from '../api.js';
import { h } from '../dom.js';
import { methodsFor } from './methods.js';
import { t } from '../i18n/i18n.js';

/** Shows one verification method at a time, with links to switch to the others. */
export function verifyPanel(factors: Factor[], done: () => void): HTMLElement {
  const methods = methodsFor(factors);
  const panel = h('div', { class: 'verify-panel' });
  const show = (index: number) => {
    const current = methods[index];
    if (!current) {
      panel.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('verify.noMethod')));
      return;
    }
    const others = methods
      .map((m, i) => ({ m, i }))
      .filter(({ i }) => i !== index)
      .map(({ m, i }) => {
        const link = h('button', { type: 'button', class: 'link' }, t(m.switchLabel));
        link.addEventListener('click', () => show(i));
        return h('li', {}, link);
      });
    panel.replaceChildren(current.render(done), others.length ? h('ul', { class: 'alternatives' }, ...others) : '');
    panel.querySelector<HTMLElement>('input, button')?.focus();
  };
  show(0);
  return panel;
}
