import { api } from '../api.js';
import { errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import { showRecoveryCodes } from '../pages/recoveryCodes.js';
import { withStepUp } from '../verify/withStepUp.js';
import type { SettingsSection } from './section.js';
import { t } from '../i18n/i18n.js';
import { confirmDialog } from '../confirmDialog.js';
import { factorIcon } from '../icons.js';

const LOW = 3;

export const recoverySection: SettingsSection = {
  id: 'recovery',
  async render(session, refresh) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'recovery-title', 'data-section': 'recovery' });
    const title = h('h2', { id: 'recovery-title' }, factorIcon('recovery_code'), t('recovery.title'));
    if (session.status !== 'authenticated') {
      section.append(title, h('p', {}, t('recovery.beforeFirst')));
      return section;
    }
    const { remaining } = await api.recoveryCodesLeft();
    const error = errorBox();
    const generate = h('button', { type: 'button', class: 'secondary' }, t('recovery.generate'));
    generate.addEventListener('click', async () => {
      error.clear();
      if (remaining > 0 && !(await confirmDialog(t('recovery.confirmGenerate'), t('recovery.generate')))) return;
      withStepUp(section, () => api.newRecoveryCodes()).then(
        (res) => showRecoveryCodes(res.codes, refresh, session.user?.username ?? ''),
        (err: unknown) => error.show(describeError(err)),
      );
    });
    section.append(
      title,
      h('p', { 'data-remaining': String(remaining) }, t('recovery.left', { remaining })),
      remaining <= LOW
        ? h(
            'p',
            { class: 'warning', role: 'alert' },
            remaining === 0
              ? t('recovery.noneLeft')
              : t('recovery.fewLeft', { remaining }),
          )
        : '',
      generate,
      error.el,
    );
    return section;
  },
};
