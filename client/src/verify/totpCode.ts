import { api, ApiError } from '../api.js';
import { busy, errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import type { VerifyMethod } from './method.js';

export const totpCodeMethod: VerifyMethod = {
  factor: 'totp',
  switchLabel: 'Use an authenticator code instead',
  render(done) {
    const input = h('input', {
      id: 'totp-code',
      name: 'totp-code',
      inputmode: 'numeric',
      autocomplete: 'one-time-code',
      pattern: '[0-9 ]*',
      maxlength: '9',
      required: true,
      'aria-describedby': 'totp-code-hint',
    });
    const error = errorBox();
    const form = h(
      'form',
      { class: 'method', 'data-method': 'totp', novalidate: true },
      h('h2', {}, 'Enter a code from your authenticator app'),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'totp-code' }, 'Authenticator code'),
        input,
        h('p', { id: 'totp-code-hint', class: 'hint' }, 'The code your authenticator app shows for Keyward right now.'),
      ),
      error.el,
      h('button', { type: 'submit' }, 'Verify'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      // Apps show codes as "123 456"; people type them that way.
      const code = input.value.replace(/\s/g, '');
      if (!/^\d{6,8}$/.test(code)) {
        error.show('Enter the digits your authenticator app shows.');
        input.focus();
        return;
      }
      void busy(form, 'Checking…', async () => {
        try {
          await api.verifyTotp(code);
          done();
        } catch (err) {
          error.show(
            err instanceof ApiError && err.code === 'invalid_code'
              ? 'That code did not work. Codes change every 30 seconds and each works once: wait for the next one and try again.'
              : describeError(err),
          );
          input.value = '';
          input.focus();
        }
      });
    });
    return form;
  },
};
