import type { Factor } from '../api.js';
import type { MessageKey } from '../i18n/i18n.js';

export interface RenderOptions {
  /** Start at once, without waiting for a click (the security key this browser used last time). */
  start?: boolean;
  /** Aborted when the panel moves away from this method: stop whatever it still waits for. */
  signal: AbortSignal;
}

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
  /** true when the method can begin by itself (a key prompt); a form waits for typing anyway. */
  startsItself?: boolean;
  /** Renders the method; calls done() once the server has accepted it. */
  render(done: () => void, opts: RenderOptions): HTMLElement;
}
