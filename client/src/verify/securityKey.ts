import { h } from '../dom.js';
import { authenticateWithKey, webauthnSupported } from '../webauthn/ceremonies.js';
import { describeWebAuthnError } from '../webauthn/describeWebAuthnError.js';
import type { VerifyMethod } from './method.js';
import { t } from '../i18n/i18n.js';
import { factorIcon } from '../icons.js';

export const securityKeyMethod: VerifyMethod = {
  factor: 'webauthn',
  switchLabel: 'verify.key.switch',
  available: webauthnSupported,
  render(done) {
    const status = h('p', { class: 'progress', role: 'status', 'aria-live': 'polite' });
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const button = h('button', { type: 'button' }, t('verify.key.button'));
    const tap = async () => {
      error.hidden = true;
      button.disabled = true;
      status.textContent = t('webauthn.touchNow');
      try {
        await authenticateWithKey();
        status.textContent = t('webauthn.verified');
        done();
      } catch (err) {
        status.textContent = '';
        error.textContent = describeWebAuthnError(err, 'verify');
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    };
    button.addEventListener('click', () => void tap());
    return h('div', { class: 'method', 'data-method': 'webauthn' }, h('h2', {}, factorIcon('webauthn'), t('verify.key.title')), button, status, error);
  },
};
