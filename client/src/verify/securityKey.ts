import { h } from '../dom.js';
import { authenticateWithKey, webauthnSupported } from '../webauthn/ceremonies.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import type { VerifyMethod } from './method.js';

export const securityKeyMethod: VerifyMethod = {
  factor: 'webauthn',
  switchLabel: 'Use your security key instead',
  available: webauthnSupported,
  render(done) {
    const status = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' });
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const button = h('button', { type: 'button' }, 'Use security key');
    const tap = async () => {
      error.hidden = true;
      button.disabled = true;
      status.textContent = 'Insert your security key and touch it now…';
      try {
        await authenticateWithKey();
        status.textContent = 'Verified.';
        done();
      } catch (err) {
        status.textContent = '';
        error.textContent = describeWebAuthnError(err);
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    };
    button.addEventListener('click', () => void tap());
    return h('div', { class: 'method', 'data-method': 'webauthn' }, h('h2', {}, 'Tap your security key'), button, status, error);
  },
};
