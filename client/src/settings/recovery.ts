import { api } from '../api.js';
import { errorBox, h } from '../dom.js';
import { describeError } from '../messages.js';
import { showRecoveryCodes } from '../pages/recoveryCodes.js';
import { withStepUp } from '../verify/withStepUp.js';
import type { SettingsSection } from './section.js';

const LOW = 3;

export const recoverySection: SettingsSection = {
  id: 'recovery',
  async render(session, refresh) {
    const section = h('section', { class: 'settings-block', 'aria-labelledby': 'recovery-title', 'data-section': 'recovery' });
    const title = h('h2', { id: 'recovery-title' }, 'Recovery codes');
    if (session.status !== 'authenticated') {
      section.append(title, h('p', {}, 'You get ten recovery codes when you add your first security key or authenticator app.'));
      return section;
    }
    const { remaining } = await api.recoveryCodesLeft();
    const error = errorBox();
    const generate = h('button', { type: 'button', class: 'secondary' }, 'Generate new codes');
    generate.addEventListener('click', () => {
      error.clear();
      if (remaining > 0 && !confirm('Make a new set of recovery codes? Your current codes will stop working.')) return;
      withStepUp(section, () => api.newRecoveryCodes()).then(
        (res) => showRecoveryCodes(res.codes, refresh),
        (err: unknown) => error.show(describeError(err)),
      );
    });
    section.append(
      title,
      h('p', { 'data-remaining': String(remaining) }, `${remaining} of 10 recovery codes left. Each one signs you in once when your key or app is not at hand.`),
      remaining <= LOW
        ? h(
            'p',
            { class: 'warning', role: 'alert' },
            remaining === 0
              ? 'You have no recovery codes left. Generate new ones so you are not locked out.'
              : `Only ${remaining} left: generate new codes so you are not locked out.`,
          )
        : '',
      generate,
      error.el,
    );
    return section;
  },
};
