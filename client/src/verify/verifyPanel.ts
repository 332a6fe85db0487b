import type { Factor } from '../api.js';
import { h } from '../dom.js';
import { methodsFor } from './methods.js';
import { lastMethod, rememberLastMethod } from './lastMethod.js';
import { t } from '../i18n/i18n.js';

export interface VerifyPanelOptions {
  /**
   * Start the method this browser passed with last time, when it can start itself (a key
   * prompt) and this account offers it. The verify page does; a step-up inside a page, which
   * interrupts something the person was doing, waits to be asked.
   */
  startRemembered?: boolean;
}

/** Shows one verification method at a time, with links to switch to the others. */
export function verifyPanel(factors: Factor[], done: () => void, opts: VerifyPanelOptions = {}): HTMLElement {
  const methods = methodsFor(factors);
  const panel = h('div', { class: 'verify-panel' });
  let leaving = new AbortController();
  const show = (index: number, start = false) => {
    leaving.abort();
    leaving = new AbortController();
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
    const passed = () => {
      rememberLastMethod(current.factor);
      done();
    };
    panel.replaceChildren(current.render(passed, { start, signal: leaving.signal }), others.length ? h('ul', { class: 'alternatives' }, ...others) : '');
    panel.querySelector<HTMLElement>('input:not([hidden]), button:not([hidden])')?.focus();
  };
  const remembered = opts.startRemembered ? methods.findIndex((m) => m.startsItself && m.factor === lastMethod()) : -1;
  if (remembered >= 0) show(remembered, true);
  else show(0);
  return panel;
}
