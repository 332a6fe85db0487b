import { api, ApiError } from '../api.js';
import { busy, errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import type { VerifyMethod } from './method.js';
import { t } from '../i18n/i18n.js';
import { factorIcon } from '../icons.js';

export const recoveryCodeMethod: VerifyMethod = {
  factor: 'recovery_code',
  switchLabel: 'verify.recovery.switch',
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
      h('h2', {}, factorIcon('recovery_code'), t('verify.recovery.title')),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'recovery-code' }, t('verify.recovery.label')),
        input,
        h('p', { id: 'recovery-code-hint', class: 'hint' }, t('verify.recovery.hint')),
      ),
      error.el,
      h('button', { type: 'submit' }, t('common.verify')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      if (input.value.replace(/[\s-]/g, '').length !== 10) {
        error.show(t('verify.recovery.format'));
        input.focus();
        return;
      }
      void busy(form, t('common.checking'), async () => {
        try {
          const res = await api.verifyRecoveryCode(input.value);
          if (res.remaining > 3) return done();
          // Running low is worth a pause: say so before moving on.
          const next = h('button', { type: 'button' }, t('common.continue'));
          next.addEventListener('click', done);
          // Verified: the other methods and "start over" no longer apply.
          document.querySelector('.verify-panel .alternatives')?.remove();
          document.querySelector('[data-start-over]')?.remove();
          form.replaceWith(
            h(
              'div',
              { class: 'method notice', role: 'status' },
              h('p', {}, t('verify.recovery.low', { remaining: res.remaining })),
              next,
            ),
          );
          next.focus();
        } catch (err) {
          error.show(
            err instanceof ApiError && err.code === 'invalid_code'
              ? t('verify.recovery.wrong')
              : describeError(err),
          );
          input.focus();
        }
      });
    });
    return form;
  },
};
