import { api, ApiError } from '../api.js';
import { busy, errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import type { VerifyMethod } from './method.js';

export const recoveryCodeMethod: VerifyMethod = {
  factor: 'recovery_code',
  switchLabel: 'Use a recovery code',
  render(done) {
    const input = h('input', {
      id: 'recovery-code',
      name: 'recovery-code',
      autocomplete: 'off',
      autocapitalize: 'none',
      spellcheck: 'false',
      maxlength: '64',
      required: true,
      'aria-describedby': 'recovery-code-hint',
    });
    const error = errorBox();
    const form = h(
      'form',
      { class: 'method', 'data-method': 'recovery_code', novalidate: true },
      h('h2', {}, 'Enter a recovery code'),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'recovery-code' }, 'Recovery code'),
        input,
        h('p', { id: 'recovery-code-hint', class: 'hint' }, 'One of the codes you saved when you set up your account, like 7h2kq-m9xcd. Each code works once.'),
      ),
      error.el,
      h('button', { type: 'submit' }, 'Verify'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      if (input.value.replace(/[\s-]/g, '').length !== 10) {
        error.show('A recovery code has 10 letters and digits, like 7h2kq-m9xcd.');
        input.focus();
        return;
      }
      void busy(form, 'Checking…', async () => {
        try {
          const res = await api.verifyRecoveryCode(input.value);
          if (res.remaining > 3) return done();
          // Running low is worth a pause: say so before moving on.
          const next = h('button', { type: 'button' }, 'Continue');
          next.addEventListener('click', done);
          form.replaceWith(
            h(
              'div',
              { class: 'method notice', role: 'status' },
              h('p', {}, `Verified. You have ${res.remaining} recovery ${res.remaining === 1 ? 'code' : 'codes'} left: make a new set in Security settings.`),
              next,
            ),
          );
          next.focus();
        } catch (err) {
          error.show(
            err instanceof ApiError && err.code === 'invalid_code'
              ? 'That recovery code did not work. It may have been used already: try another one.'
              : describeError(err),
          );
          input.focus();
        }
      });
    });
    return form;
  },
};
