import { ApiError, api, type Factor } from '../api.js';
import { h } from '../dom.js';
import { verifyPanel } from './verifyPanel.js';

/**
 * Runs a sensitive action; if the server wants a fresh second factor (403
 * step_up_required), shows the verification panel in `host` and retries once verified.
 */
export async function withStepUp<T>(host: HTMLElement, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 'step_up_required') throw err;
    const factors = (err.details?.['factors'] as Factor[] | undefined) ?? (await api.getSession()).factors;
    await new Promise<void>((resolve) => {
      const dialog = h(
        'div',
        { class: 'step-up', role: 'group', 'aria-label': 'Confirm it is you' },
        h('p', {}, 'For your security, confirm it is you before making this change.'),
        verifyPanel(factors, () => {
          dialog.remove();
          resolve();
        }),
      );
      host.append(dialog);
    });
    return action();
  }
}
