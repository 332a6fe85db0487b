import { h } from '../dom.js';
import { authenticateWithKey, webauthnSupported } from '../webauthn/ceremonies.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import type { VerifyMethod } from './method.js';
import { t } from '../i18n/i18n.js';
import { factorIcon } from '../icons.js';

/**
 * The key prompt, started by a click or (the verify page, when this browser used a key last
 * time) by itself. While the key has not answered the page says so plainly, with a moving
 * indicator and a Cancel that really stops the browser's request.
 */
export const securityKeyMethod: VerifyMethod = {
  factor: 'webauthn',
  switchLabel: 'verify.key.switch',
  available: webauthnSupported,
  startsItself: true,
  render(done, { start, signal }) {
    const spinner = h('span', { class: 'spinner', 'aria-hidden': 'true', hidden: true });
    const statusText = h('span', {});
    const status = h('p', { class: 'progress key-status', role: 'status', 'aria-live': 'polite' }, spinner, statusText);
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const button = h('button', { type: 'button' }, t('verify.key.button'));
    const cancel = h('button', { type: 'button', class: 'secondary', hidden: true }, t('common.cancel'));
    const method = h('div', { class: 'method', 'data-method': 'webauthn' }, h('h2', {}, factorIcon('webauthn'), t('verify.key.title')), button, status, cancel, error);
    let attempt: AbortController | undefined;
    const waiting = (on: boolean) => {
      // The button about to be hidden may have focus: hand it to the one that replaces it.
      const hadFocus = document.activeElement === (on ? button : cancel) || document.activeElement === document.body;
      method.toggleAttribute('data-waiting', on);
      spinner.hidden = !on;
      button.hidden = on;
      cancel.hidden = !on;
      if (hadFocus) (on ? cancel : button).focus();
    };
    const tap = async () => {
      if (signal.aborted) return;
      attempt = new AbortController();
      const stop = () => attempt?.abort();
      signal.addEventListener('abort', stop, { once: true });
      error.hidden = true;
      statusText.textContent = t('webauthn.touchNow');
      waiting(true);
      try {
        await authenticateWithKey({ signal: attempt.signal });
        statusText.textContent = t('webauthn.verified');
        spinner.hidden = true;
        cancel.hidden = true;
        done();
      } catch (err) {
        if (signal.aborted) return; // the person chose another method: this one is gone
        statusText.textContent = attempt.signal.aborted ? t('verify.key.cancelled') : '';
        if (!attempt.signal.aborted) {
          error.textContent = describeWebAuthnError(err, 'verify');
          error.hidden = false;
        }
        button.textContent = t('verify.key.again');
        waiting(false);
      } finally {
        signal.removeEventListener('abort', stop);
      }
    };
    button.addEventListener('click', () => void tap());
    cancel.addEventListener('click', () => attempt?.abort());
    if (start) void tap();
    return method;
  },
};
