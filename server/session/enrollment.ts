import type { RequestOrigin } from '../audit/createAuditLog.js';

// What happens when a person adds a second factor: modules that care (recovery codes are
// issued with the first one) register a listener; their answers are merged into the reply.

export interface FactorAddedEvent {
  userId: string;
  factor: 'webauthn' | 'totp';
  /** true when the user had no webauthn/totp factor before this one. */
  first: boolean;
  /** The request that added it, for the audit trail of what listeners do. */
  origin: RequestOrigin;
}

export type FactorAddedListener = (e: FactorAddedEvent) => Promise<Record<string, unknown>>;

export async function notifyFactorAdded(listeners: FactorAddedListener[], e: FactorAddedEvent): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const l of listeners) Object.assign(out, await l(e));
  return out;
}
