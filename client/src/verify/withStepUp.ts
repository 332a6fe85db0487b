import { ApiError, api, type Factor } from '../api.js';
import { h } from '../dom.js';
import { verifyPanel } from './verifyPanel.js';
import { t } from '../i18n/i18n.js';

/**
 * Runs a sensitive action; if the server wants a fresh second factor (403
 * step_up_required), shows the verification panel in `host` and retries once verified.
 * Cancelling rejects with ApiError('step_up_cancelled'), so callers show one message path.
 */
export async function withStepUp<T>(host: HTMLElement, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'step_up_required') throw err;
    const factors = (err.details?.['factors'] as Factor[] | undefined) ?? (await api.getSession()).factors;
    await new Promise<void>((resolve, reject) => {
      const cancel = h('button', { type: 'button', class: 'link' }, t('common.cancel'));
      const dialog = h(
        'div',
        { class: 'step-up', role: 'group', 'aria-label': t('stepUp.label') },
        h('p', {}, t('stepUp.intro')),
        verifyPanel(factors, () => {
          dialog.remove();
          resolve();
        }),
        cancel,
      );
      cancel.addEventListener('click', () => {
        dialog.remove();
        reject(new ApiError('step_up_cancelled', 'Cancelled.', 0));
      });
      host.append(dialog);
      // The panel was built detached, so its own focus() did nothing: move focus here now.
      dialog.querySelector<HTMLElement>('input, button')?.focus();
    });
    return action();
  }
}
