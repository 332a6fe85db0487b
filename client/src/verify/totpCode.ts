import { api, ApiError } from '../api.js';
import { busy, errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import type { VerifyMethod } from './method.js';
import { t } from '../i18n/i18n.js';
import { factorIcon } from '../icons.js';

export const totpCodeMethod: VerifyMethod = {
  factor: 'totp',
  switchLabel: 'verify.totp.switch',
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
      h('h2', {}, factorIcon('totp'), t('verify.totp.title')),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'totp-code' }, t('verify.totp.label')),
        input,
        h('p', { id: 'totp-code-hint', class: 'hint' }, t('verify.totp.hint')),
      ),
      error.el,
      h('button', { type: 'submit' }, t('common.verify')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.clear();
      // Apps show codes as "123 456"; people type them that way.
      const code = input.value.replace(/\s/g, '');
      if (!/^\d{6,8}$/.test(code)) {
        error.show(t('verify.totp.format'));
        input.focus();
        return;
      }
      void busy(form, t('common.checking'), async () => {
        try {
          await api.verifyTotp(code);
          done();
        } catch (err) {
          error.show(
            err instanceof ApiError && err.code === 'invalid_code'
              ? t('verify.totp.wrong')
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
