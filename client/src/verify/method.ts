import type { Factor } from '../api.js';
import type { MessageKey } from '../i18n/i18n.js';

/**
 * One way to pass the second step (or a step-up). Each lives in its own module and is
 * listed in methods.ts; the verify page and the step-up prompt show whichever the user has.
 */
export interface VerifyMethod {
  factor: Factor;
  /** Link text for switching to this method, e.g. "Use an authenticator code instead". */
  switchLabel: MessageKey;
  /** false when this browser cannot use the method (e.g. no WebAuthn). */
  available?: () => boolean;
  /** Renders the method; calls done() once the server has accepted it. */
  render(done: () => void): HTMLElement;
}
